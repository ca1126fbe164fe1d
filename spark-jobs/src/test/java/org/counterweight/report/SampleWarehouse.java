package org.counterweight.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.counterweight.evaluate.MetricRow;
import org.counterweight.evaluate.MetricTable;
import org.counterweight.results.CellKey;
import org.counterweight.results.CellResult;
import org.counterweight.results.CurveRow;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunStatus;
import org.counterweight.results.TimingRow;

/**
 * A small results warehouse with known values for report tests: datasets "binary-set" (classes
 * no/yes) and "three-class" (a/b/c); methods ce, focal (always 0.05 better than ce) and same
 * (ce ± 0.001, alternating), with the {@link #params} of their tuning (their config ranks by
 * g_mean). Run "run-1" has 3 seeds × 2 folds per dataset and method; the older
 * "run-0" one cell each (enough for the trend); the interrupted run's only method, "leaky", must
 * never appear in a report.
 */
final class SampleWarehouse {
    static final String[] METHODS = {"ce", "focal", "same"};
    static final String[] DATASETS = {"binary-set", "three-class"};

    private SampleWarehouse() {
    }

    /** The value of every overall metric of a cell. */
    static double value(int run, String dataset, String method, int seed, int fold) {
        double base = dataset.equals("binary-set") ? 0.70 : 0.60;
        double v = base + 0.01 * seed + 0.003 * fold + 0.02 * run;
        return switch (method) {
            case "focal" -> v + 0.05;
            case "same" -> v + ((seed + fold) % 2 == 0 ? 0.001 : -0.001);
            default -> v;
        };
    }

    /** Writes the sample (each run's cells in one commit: this is about the report, not the commits). */
    static void populate(ResultsStore store) {
        for (int run = 0; run < 2; run++) {
            String id = "run-" + run;
            store.beginRun(id, "sample", "hash" + run);
            List<CellResult> all = new ArrayList<>();
            for (String dataset : DATASETS) {
                for (String method : METHODS) {
                    all.addAll(cells(run, dataset, method, 0, run == 0 ? 1 : 3, run == 0 ? 1 : 2));
                }
            }
            store.writeCells(id, all);
            store.finishRun(id, RunStatus.FINISHED);
        }
        store.beginRun("interrupted", "sample", "hash");
        store.writeCells("interrupted", cells(5, "binary-set", "leaky", 0, 1, 1));
    }

    /**
     * A cell's params: ce tunes lr (0.01 in fold 0, 0.05 in fold 1) on validation; focal tunes
     * gamma (1 for even seeds, 2 for odd) and alpha (always inverse), selected by inner 3-fold
     * cross-validation in fold 1; both with 4 candidates. "same" has none, like a cell of a store
     * written before the params table (its kept margin is a tuned_margin metric).
     */
    static Map<String, String> params(String method, int seed, int fold) {
        Map<String, String> p = new LinkedHashMap<>();
        if (method.equals("same")) {
            return p;
        }
        p.put("loss", method.equals("focal") ? "focal(gamma=" + (1 + seed % 2) + ",alpha=inverse)" : "ce");
        p.put("lr", method.equals("ce") && fold == 1 ? "0.05" : "0.01");
        if (method.equals("focal")) {
            p.put("gamma", Integer.toString(1 + seed % 2));
            p.put("alpha", "inverse");
        }
        p.put(ResultsStore.PARAM_CANDIDATES, "4");
        p.put(ResultsStore.PARAM_SELECTION, method.equals("focal") && fold == 1 ? "inner-3-fold" : "validation");
        p.put(ResultsStore.PARAM_TUNED, method.equals("focal") ? "gamma,alpha" : "lr");
        p.put(ResultsStore.PARAM_METRIC, "g_mean");
        return p;
    }

    /** The cells of seeds {@code firstSeed .. firstSeed + seeds - 1} × {@code folds} folds. */
    static List<CellResult> cells(int run, String dataset, String method, int firstSeed, int seeds, int folds) {
        List<CellResult> out = new ArrayList<>();
        List<String> classes = dataset.equals("binary-set") ? List.of("no", "yes") : List.of("a", "b", "c");
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
            for (int fold = 0; fold < folds; fold++) {
                double v = value(run, dataset, method, seed, fold);
                List<MetricRow> rows = new ArrayList<>();
                for (MetricTable.Overall m : MetricTable.OVERALL) {
                    rows.add(new MetricRow(m.name(), null, v));
                }
                for (int c = 0; c < classes.size(); c++) {
                    rows.add(new MetricRow("recall", classes.get(c), v - 0.1 * c));
                    rows.add(new MetricRow("support", classes.get(c), 100.0 / (c + 1)));
                }
                if (method.equals("same")) {
                    rows.add(new MetricRow("tuned_margin", null, 0.5)); // as stores before the params table kept it
                }
                List<CurveRow> curves = new ArrayList<>();
                if (classes.size() == 2) {
                    double[][] roc = {{0, 0}, {0.1, v - 0.2}, {0.3, v}, {1, 1}};
                    double[][] pr = {{0, 1}, {0.5, v}, {1, 0.3}};
                    for (int i = 0; i < roc.length; i++) {
                        curves.add(new CurveRow(CurveRow.ROC, "yes", i, 1 - i / 3.0, roc[i][0], roc[i][1]));
                    }
                    for (int i = 0; i < pr.length; i++) {
                        curves.add(new CurveRow(CurveRow.PR, "yes", i, 1 - i / 2.0, pr[i][0], pr[i][1]));
                    }
                }
                out.add(new CellResult(new CellKey(dataset, method, seed, fold), rows,
                        List.of(new TimingRow("train", 2.0 + seed), new TimingRow("evaluate", 0.5)), curves,
                        params(method, seed, fold)));
            }
        }
        return out;
    }
}
