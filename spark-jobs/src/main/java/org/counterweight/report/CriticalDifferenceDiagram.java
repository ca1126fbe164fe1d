package org.counterweight.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Demšar's critical-difference diagram (Demšar 2006, Fig. 1–2) as hand-written SVG: methods
 * placed on an axis of average ranks (1 = best, on the left), the Nemenyi critical difference as a
 * bar above the axis, and thick lines joining groups of methods whose ranks differ by less than
 * the CD (not significantly different). No charting library draws this one.
 */
final class CriticalDifferenceDiagram {
    private static final int WIDTH = 760;
    private static final int MARGIN = 170;
    private static final int AXIS_Y = 70;
    private static final int ROW = 22;

    private CriticalDifferenceDiagram() {
    }

    /** The SVG for methods {@code names} with average ranks {@code ranks} and critical difference {@code cd}. */
    static String svg(List<String> names, double[] ranks, double cd) {
        int k = names.size();
        Integer[] order = IntStream.range(0, k).boxed().sorted(Comparator.comparingDouble(i -> ranks[i]))
                .toArray(Integer[]::new);
        int leftCount = (k + 1) / 2;
        int height = AXIS_Y + 50 + ROW * leftCount + 20;
        double x0 = MARGIN;
        double x1 = WIDTH - MARGIN;
        java.util.function.DoubleUnaryOperator x = r -> x0 + (r - 1) / Math.max(1, k - 1) * (x1 - x0);

        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n", WIDTH, height, WIDTH, height));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        // Axis with a tick per integer rank.
        line(b, x0, AXIS_Y, x1, AXIS_Y, 1.5);
        for (int r = 1; r <= k; r++) {
            double xr = x.applyAsDouble(r);
            line(b, xr, AXIS_Y - 6, xr, AXIS_Y, 1);
            text(b, xr, AXIS_Y - 10, "middle", Integer.toString(r));
        }
        text(b, (x0 + x1) / 2, 16, "middle", "average rank (1 = best)");
        // Critical difference bar, starting at rank 1.
        double cdEnd = x.applyAsDouble(Math.min(k, 1 + cd));
        line(b, x0, 36, cdEnd, 36, 2);
        line(b, x0, 31, x0, 41, 1);
        line(b, cdEnd, 31, cdEnd, 41, 1);
        text(b, cdEnd + 6, 40, "start", String.format(Locale.ROOT, "CD = %.3f", cd));
        // Methods: best half to the left, the rest to the right.
        for (int pos = 0; pos < k; pos++) {
            int i = order[pos];
            boolean left = pos < leftCount;
            int row = left ? pos : k - 1 - pos;
            double y = AXIS_Y + 40 + row * ROW;
            double xr = x.applyAsDouble(ranks[i]);
            double xEnd = left ? x0 - 10 : x1 + 10;
            line(b, xr, AXIS_Y, xr, y, 1);
            line(b, xr, y, xEnd, y, 1);
            String label = String.format(Locale.ROOT, "%s (%.2f)", names.get(i), ranks[i]);
            text(b, left ? xEnd - 4 : xEnd + 4, y + 4, left ? "end" : "start", label);
        }
        // Groups not significantly different: maximal runs of sorted ranks spanning less than CD.
        List<int[]> groups = groups(order, ranks, cd);
        for (int g = 0; g < groups.size(); g++) {
            double y = AXIS_Y + 14 + g * 6;
            double a = x.applyAsDouble(ranks[order[groups.get(g)[0]]]) - 4;
            double c = x.applyAsDouble(ranks[order[groups.get(g)[1]]]) + 4;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" "
                    + "stroke-width=\"4\" stroke-linecap=\"round\"/>%n", a, y, c, y));
        }
        return b.append("</svg>\n").toString();
    }

    /** [first, last] positions (in rank order) of maximal groups of ≥ 2 methods spanning less than cd. */
    static List<int[]> groups(Integer[] order, double[] ranks, double cd) {
        List<int[]> out = new ArrayList<>();
        int lastEnd = -1;
        for (int a = 0; a < order.length; a++) {
            int c = a;
            while (c + 1 < order.length && ranks[order[c + 1]] - ranks[order[a]] < cd) {
                c++;
            }
            if (c > a && c > lastEnd) {
                out.add(new int[] {a, c});
                lastEnd = c;
            }
        }
        return out;
    }

    private static void line(StringBuilder b, double xa, double ya, double xb, double yb, double w) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\" "
                + "stroke-width=\"%.1f\"/>%n", xa, ya, xb, yb, w));
    }

    private static void text(StringBuilder b, double xa, double ya, String anchor, String s) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n", xa, ya, anchor,
                HtmlRenderer.escape(s)));
    }
}
