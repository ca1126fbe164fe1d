package org.counterweight.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.counterweight.data.AtomicFile;
import org.counterweight.data.LabelIndex;

/** Human and machine renderings of a metrics table: an aligned text table and the metrics CSV. */
public final class MetricsText {
    private MetricsText() {
    }

    /** Overall metrics, a per-class table and the confusion matrix, aligned for a terminal. */
    public static String format(Evaluation e, LabelIndex labels) {
        StringBuilder b = new StringBuilder();
        int width = 0;
        for (MetricTable.Overall m : MetricTable.OVERALL) {
            width = Math.max(width, m.name().length());
        }
        for (MetricTable.Overall m : MetricTable.OVERALL) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s  %.6f%n", m.name(), m.apply(e)));
        }
        int cw = "class".length();
        for (String v : labels.values()) {
            cw = Math.max(cw, v.length());
        }
        b.append(String.format(Locale.ROOT, "%n%-" + cw + "s", "class"));
        for (MetricTable.PerClass m : MetricTable.PER_CLASS) {
            b.append(String.format(Locale.ROOT, "  %10s", m.name()));
        }
        b.append(String.format(Locale.ROOT, "%n"));
        for (int k = 0; k < e.numClasses(); k++) {
            b.append(String.format(Locale.ROOT, "%-" + cw + "s", labels.value(k)));
            for (MetricTable.PerClass m : MetricTable.PER_CLASS) {
                double v = m.apply(e, k);
                b.append(m.name().equals("support") ? String.format(Locale.ROOT, "  %10d", (long) v)
                        : String.format(Locale.ROOT, "  %10.6f", v));
            }
            b.append(String.format(Locale.ROOT, "%n"));
        }
        b.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted)%n%-" + cw + "s", ""));
        for (int k = 0; k < e.numClasses(); k++) {
            b.append(String.format(Locale.ROOT, "  %10s", labels.value(k)));
        }
        b.append(String.format(Locale.ROOT, "%n"));
        for (int i = 0; i < e.numClasses(); i++) {
            b.append(String.format(Locale.ROOT, "%-" + cw + "s", labels.value(i)));
            for (int j = 0; j < e.numClasses(); j++) {
                b.append(String.format(Locale.ROOT, "  %10d", e.confusion().count(i, j)));
            }
            b.append(String.format(Locale.ROOT, "%n"));
        }
        return b.toString();
    }

    /** Writes {@code metric,class,value} rows atomically ({@link AtomicFile}). */
    public static void writeCsv(Path target, List<MetricRow> rows) throws IOException {
        StringBuilder csv = new StringBuilder("metric,class,value\n");
        for (MetricRow r : rows) {
            csv.append(r.metric()).append(',').append(r.className() == null ? "" : quote(r.className())).append(',')
                    .append(r.value()).append('\n');
        }
        AtomicFile.writeString(target, csv.toString());
    }

    /** RFC 4180 quoting when the value needs it. */
    private static String quote(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
