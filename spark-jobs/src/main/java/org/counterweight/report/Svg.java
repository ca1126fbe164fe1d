package org.counterweight.report;

import java.util.Locale;

/**
 * A small SVG writer for the report's charts: text as {@code <text>} (not glyph outlines) and
 * coordinates with at most one decimal (a tenth of a pixel on a 760-pixel chart), so a chart of
 * twelve curves stays a few tens of kilobytes.
 */
final class Svg {
    private final StringBuilder b = new StringBuilder();

    /** A document of {@code width} × {@code height} pixels on a white background. */
    Svg(int width, int height) {
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"").append(width)
                .append("\" height=\"").append(height).append("\" fill=\"white\"/>\n");
    }

    /** {@code v} rounded to one decimal, without a trailing ".0" ("12", "12.5", "-3.1"). */
    static String num(double v) {
        long tenths = Math.round(v * 10);
        if (tenths % 10 == 0) {
            return Long.toString(tenths / 10);
        }
        return (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10;
    }

    /** A straight line; {@code dash} is an SVG dash array or null. */
    Svg line(double x1, double y1, double x2, double y2, String color, double width, String dash) {
        b.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
                .append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(color).append("\" stroke-width=\"")
                .append(num(width)).append('"');
        if (dash != null) {
            b.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        b.append("/>\n");
        return this;
    }

    /**
     * A polyline through the pixel points; a point that rounds to the same coordinates as the one
     * before it is left out (invisible at screen resolution), the first and last are always kept.
     */
    Svg polyline(double[] px, double[] py, String color, double width, String dash) {
        b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"").append(num(width))
                .append('"');
        if (dash != null) {
            b.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        b.append(" points=\"");
        String last = null;
        for (int i = 0; i < px.length; i++) {
            String p = num(px[i]) + "," + num(py[i]);
            if (!p.equals(last) || i == px.length - 1) {
                b.append(i == 0 ? "" : " ").append(p);
            }
            last = p;
        }
        b.append("\"/>\n");
        return this;
    }

    /** A filled rectangle. */
    Svg rect(double x, double y, double w, double h, String fill) {
        b.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(w))
                .append("\" height=\"").append(num(h)).append("\" fill=\"").append(fill).append("\"/>\n");
        return this;
    }

    /** A filled circle. */
    Svg circle(double cx, double cy, double r, String fill) {
        b.append("<circle cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy)).append("\" r=\"").append(num(r))
                .append("\" fill=\"").append(fill).append("\"/>\n");
        return this;
    }

    /** Text anchored {@code start}, {@code middle} or {@code end}; {@code rotate} turns it −90° (a y-axis title). */
    Svg text(double x, double y, String anchor, String s, boolean rotate) {
        b.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"").append(anchor)
                .append('"');
        if (rotate) {
            b.append(String.format(Locale.ROOT, " transform=\"rotate(-90 %s %s)\"", num(x), num(y)));
        }
        b.append('>').append(HtmlRenderer.escape(s)).append("</text>\n");
        return this;
    }

    /** The finished document. */
    String end() {
        return b.append("</svg>\n").toString();
    }
}
