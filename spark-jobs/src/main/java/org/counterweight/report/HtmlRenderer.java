package org.counterweight.report;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.counterweight.report.ReportDocument.Block;
import org.counterweight.report.ReportDocument.Cell;
import org.counterweight.report.ReportDocument.Chart;
import org.counterweight.report.ReportDocument.Heading;
import org.counterweight.report.ReportDocument.Paragraph;
import org.counterweight.report.ReportDocument.Table;

/**
 * Renders a {@link ReportDocument} as one self-contained HTML file: styles inline, charts embedded
 * as {@code data:} SVG images (each chart's ids stay private to its image), no scripts, no
 * network access needed to view it.
 */
public final class HtmlRenderer {
    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}",
            "h1{border-bottom:2px solid #445;padding-bottom:.3em}h2{margin-top:2em;border-bottom:1px solid #ccd}",
            "table{border-collapse:collapse;margin:1em 0;font-size:.9em}",
            "th,td{border:1px solid #ccd;padding:.3em .6em;text-align:right}th{background:#eef}",
            "td:first-child,th:first-child{text-align:left}td.best{font-weight:bold;background:#e8f5e9}",
            "figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}",
            "figcaption{font-size:.85em;color:#555}p.note{color:#555;font-size:.9em}");

    private HtmlRenderer() {
    }

    /** The HTML text. */
    public static String render(ReportDocument doc) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(doc.title())).append("</title>\n<style>\n").append(STYLE)
                .append("\n</style>\n</head>\n<body>\n<h1>").append(escape(doc.title())).append("</h1>\n");
        for (Block block : doc.blocks()) {
            if (block instanceof Heading h) {
                int level = Math.min(6, Math.max(2, h.level()));
                b.append("<h").append(level).append('>').append(escape(h.text())).append("</h").append(level).append(">\n");
            } else if (block instanceof Paragraph p) {
                b.append("<p>").append(escape(p.text())).append("</p>\n");
            } else if (block instanceof Table t) {
                b.append("<table>\n<thead><tr>");
                t.header().forEach(hd -> b.append("<th>").append(escape(hd)).append("</th>"));
                b.append("</tr></thead>\n<tbody>\n");
                for (var row : t.rows()) {
                    b.append("<tr>");
                    for (Cell c : row) {
                        b.append(c.strong() ? "<td class=\"best\">" : "<td>").append(escape(c.text())).append("</td>");
                    }
                    b.append("</tr>\n");
                }
                b.append("</tbody>\n</table>\n");
            } else if (block instanceof Chart c) {
                b.append("<figure><img alt=\"").append(escape(c.alt())).append("\" src=\"data:image/svg+xml;base64,")
                        .append(Base64.getEncoder().encodeToString(c.svg().getBytes(StandardCharsets.UTF_8)))
                        .append("\"><figcaption>").append(escape(c.alt())).append("</figcaption></figure>\n");
            }
        }
        return b.append("</body>\n</html>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
