package org.counterweight.report;

import org.counterweight.report.ReportDocument.Block;
import org.counterweight.report.ReportDocument.Cell;
import org.counterweight.report.ReportDocument.Chart;
import org.counterweight.report.ReportDocument.Heading;
import org.counterweight.report.ReportDocument.Paragraph;
import org.counterweight.report.ReportDocument.Table;

/** Renders a {@link ReportDocument} as GitHub-flavoured Markdown; charts link to {@code charts/<name>.svg}. */
public final class MarkdownRenderer {
    /** Directory (relative to report.md) holding the chart files. */
    public static final String CHART_DIR = "charts";

    private MarkdownRenderer() {
    }

    /** The Markdown text. */
    public static String render(ReportDocument doc) {
        StringBuilder b = new StringBuilder("# ").append(doc.title()).append("\n\n");
        for (Block block : doc.blocks()) {
            if (block instanceof Heading h) {
                b.append("#".repeat(Math.max(2, h.level()))).append(' ').append(h.text()).append("\n\n");
            } else if (block instanceof Paragraph p) {
                b.append(p.text()).append("\n\n");
            } else if (block instanceof Table t) {
                b.append("| ").append(String.join(" | ", t.header().stream().map(MarkdownRenderer::escape).toList()))
                        .append(" |\n|");
                b.append(" --- |".repeat(t.header().size())).append('\n');
                for (var row : t.rows()) {
                    b.append("| ").append(String.join(" | ", row.stream().map(MarkdownRenderer::cell).toList()))
                            .append(" |\n");
                }
                b.append('\n');
            } else if (block instanceof Chart c) {
                b.append("![").append(escape(c.alt())).append("](").append(CHART_DIR).append('/').append(c.name())
                        .append(".svg)\n\n");
            }
        }
        return b.toString();
    }

    private static String cell(Cell c) {
        return c.strong() ? "**" + escape(c.text()) + "**" : escape(c.text());
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_");
    }
}
