package org.counterweight.report;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.DoubleUnaryOperator;

/**
 * The report's charts as hand-written SVG ({@link Svg}): grouped bars, curves on the unit square
 * and dated lines, each with a title, axes, grid and a legend to the right. No fonts or network
 * are needed to view them; text is SVG text, so a chart of twelve methods' curves stays far below
 * 50 KB (a charting library's export drew every glyph as a path: ~0.4–0.6 MB per chart).
 */
final class Charts {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 64;
    private static final int TOP = 36;
    private static final int BOTTOM = 52;
    private static final int LEGEND_ROW = 16;
    /** Twelve distinguishable colours (Tableau 10 and two more); later series repeat them dashed. */
    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
        "#ff9da7", "#9c755f", "#bab0ac", "#17becf", "#7f3c8d"};

    /** An x/y series. */
    record Series(String name, double[] x, double[] y) {
    }

    /** A dated series (one point per run). */
    record DatedSeries(String name, List<Date> x, List<Double> y) {
    }

    /** The plot area and the legend of one chart, sized for its series names. */
    private record Frame(int width, int height, double left, double right, double top, double bottom) {
        static Frame of(List<String> names) {
            int longest = names.stream().mapToInt(String::length).max().orElse(0);
            int legend = Math.min(320, 40 + 7 * longest);
            int height = Math.max(HEIGHT, TOP + LEGEND_ROW * names.size() + 30);
            return new Frame(WIDTH, height, LEFT, WIDTH - legend, TOP, height - BOTTOM);
        }

        DoubleUnaryOperator x(double min, double max) {
            return v -> left + (v - min) / (max - min) * (right - left);
        }

        DoubleUnaryOperator y(double min, double max) {
            return v -> bottom - (v - min) / (max - min) * (bottom - top);
        }
    }

    private Charts() {
    }

    /** Grouped bars on [0, 1]: one group per category, one bar per series. */
    static String bars(String title, String xTitle, String yTitle, List<String> categories, Map<String, List<Double>> series) {
        List<String> names = List.copyOf(series.keySet());
        Frame f = Frame.of(names);
        Svg svg = start(f, title, xTitle, yTitle);
        DoubleUnaryOperator y = f.y(0, 1);
        yGrid(svg, f, y, ticks(0, 1, 0.2), 1);
        double group = (f.right() - f.left()) / Math.max(1, categories.size());
        double bar = group * 0.8 / Math.max(1, names.size());
        for (int c = 0; c < categories.size(); c++) {
            double x0 = f.left() + c * group + group * 0.1;
            for (int s = 0; s < names.size(); s++) {
                double v = Math.max(0, Math.min(1, series.get(names.get(s)).get(c)));
                svg.rect(x0 + s * bar, y.applyAsDouble(v), bar, f.bottom() - y.applyAsDouble(v), color(s));
            }
            svg.text(f.left() + (c + 0.5) * group, f.bottom() + 16, "middle", categories.get(c), false);
        }
        axes(svg, f);
        for (int s = 0; s < names.size(); s++) {
            legendEntry(svg, f, s, names.get(s), true);
        }
        return svg.end();
    }

    /** Lines on the unit square, e.g. ROC (with the chance diagonal) or precision–recall curves. */
    static String curves(String title, String xTitle, String yTitle, List<Series> series, boolean diagonal) {
        Frame f = Frame.of(series.stream().map(Series::name).toList());
        Svg svg = start(f, title, xTitle, yTitle);
        DoubleUnaryOperator x = f.x(0, 1);
        DoubleUnaryOperator y = f.y(0, 1);
        double[] ticks = ticks(0, 1, 0.2);
        yGrid(svg, f, y, ticks, 1);
        xGrid(svg, f, x, ticks, 1);
        if (diagonal) {
            svg.line(f.left(), f.bottom(), f.right(), f.top(), "#999", 1, "4 3");
        }
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            svg.polyline(map(one.x(), x), map(one.y(), y), color(s), 1.5, dash(s));
            legendEntry(svg, f, s, one.name(), false);
        }
        axes(svg, f);
        return svg.end();
    }

    /** A metric over time (UTC), one line per series with a dot per run. */
    static String trend(String title, String yTitle, List<DatedSeries> series) {
        Frame f = Frame.of(series.stream().map(DatedSeries::name).toList());
        Svg svg = start(f, title, "run started (UTC)", yTitle);
        long first = series.stream().flatMap(s -> s.x().stream()).mapToLong(Date::getTime).min().orElse(0);
        long last = series.stream().flatMap(s -> s.x().stream()).mapToLong(Date::getTime).max().orElse(0);
        double lo = series.stream().flatMap(s -> s.y().stream()).mapToDouble(Double::doubleValue).filter(Double::isFinite)
                .min().orElse(0);
        double hi = series.stream().flatMap(s -> s.y().stream()).mapToDouble(Double::doubleValue).filter(Double::isFinite)
                .max().orElse(1);
        double pad = hi > lo ? (hi - lo) * 0.05 : 0.01;
        double step = niceStep((hi - lo + 2 * pad) / 5);
        double ymin = Math.floor((lo - pad) / step) * step;
        double ymax = Math.ceil((hi + pad) / step) * step;
        // one run: a minute either side, so that its dots sit in the middle
        double xmin = first == last ? first - 60_000 : first - (last - first) * 0.05;
        double xmax = first == last ? last + 60_000 : last + (last - first) * 0.05;
        DoubleUnaryOperator x = f.x(xmin, xmax);
        DoubleUnaryOperator y = f.y(ymin, ymax);
        yGrid(svg, f, y, ticks(ymin, ymax, step), Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)));
        // Scheduled runs are days apart; runs within one day (tests, reruns) need the time of day.
        SimpleDateFormat date = new SimpleDateFormat(last - first < 86_400_000L ? "HH:mm:ss" : "yyyy-MM-dd", Locale.ROOT);
        date.setTimeZone(TimeZone.getTimeZone("UTC"));
        int xTicks = first == last ? 1 : 5;
        for (int i = 0; i < xTicks; i++) {
            long t = xTicks == 1 ? first : first + (last - first) * i / (xTicks - 1);
            double px = x.applyAsDouble(t);
            svg.line(px, f.top(), px, f.bottom(), "#eee", 1, null);
            svg.text(px, f.bottom() + 16, "middle", date.format(new Date(t)), false);
        }
        for (int s = 0; s < series.size(); s++) {
            DatedSeries one = series.get(s);
            double[] px = one.x().stream().mapToDouble(d -> x.applyAsDouble(d.getTime())).toArray();
            double[] py = one.y().stream().mapToDouble(v -> y.applyAsDouble(v)).toArray();
            svg.polyline(px, py, color(s), 1.5, dash(s));
            for (int i = 0; i < px.length; i++) {
                svg.circle(px[i], py[i], 3, color(s));
            }
            legendEntry(svg, f, s, one.name(), false);
        }
        axes(svg, f);
        return svg.end();
    }

    private static Svg start(Frame f, String title, String xTitle, String yTitle) {
        Svg svg = new Svg(f.width(), f.height());
        svg.text((f.left() + f.right()) / 2, 20, "middle", title, false);
        svg.text((f.left() + f.right()) / 2, f.height() - 12, "middle", xTitle, false);
        svg.text(16, (f.top() + f.bottom()) / 2, "middle", yTitle, true);
        return svg;
    }

    private static void axes(Svg svg, Frame f) {
        svg.line(f.left(), f.bottom(), f.right(), f.bottom(), "#333", 1, null);
        svg.line(f.left(), f.top(), f.left(), f.bottom(), "#333", 1, null);
    }

    private static void yGrid(Svg svg, Frame f, DoubleUnaryOperator y, double[] ticks, int decimals) {
        for (double t : ticks) {
            double py = y.applyAsDouble(t);
            svg.line(f.left(), py, f.right(), py, "#eee", 1, null);
            svg.text(f.left() - 6, py + 4, "end", String.format(Locale.ROOT, "%." + decimals + "f", t), false);
        }
    }

    private static void xGrid(Svg svg, Frame f, DoubleUnaryOperator x, double[] ticks, int decimals) {
        for (double t : ticks) {
            double px = x.applyAsDouble(t);
            svg.line(px, f.top(), px, f.bottom(), "#eee", 1, null);
            svg.text(px, f.bottom() + 16, "middle", String.format(Locale.ROOT, "%." + decimals + "f", t), false);
        }
    }

    private static void legendEntry(Svg svg, Frame f, int i, String name, boolean box) {
        double x = f.right() + 16;
        double y = f.top() + 8 + i * LEGEND_ROW;
        if (box) {
            svg.rect(x, y - 5, 14, 10, color(i));
        } else {
            svg.line(x, y, x + 14, y, color(i), 2, dash(i));
        }
        svg.text(x + 20, y + 4, "start", name, false);
    }

    private static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    /** Solid for the first twelve series, then dashed, then dotted: 36 line series stay distinguishable. */
    private static String dash(int i) {
        return switch (i / COLORS.length) {
            case 0 -> null;
            case 1 -> "6 3";
            default -> "2 2";
        };
    }

    private static double[] map(double[] v, DoubleUnaryOperator f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = f.applyAsDouble(v[i]);
        }
        return out;
    }

    /** min, min + step, …, max (within rounding). */
    private static double[] ticks(double min, double max, double step) {
        int n = (int) Math.round((max - min) / step);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = min + i * step;
        }
        return t;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * p >= raw - 1e-12) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
