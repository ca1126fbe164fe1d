package org.counterweight.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.counterweight.evaluate.MetricTable;
import org.counterweight.evaluate.aggregate.Aggregation;
import org.counterweight.evaluate.aggregate.CellValue;
import org.counterweight.report.ReportDocument.Cell;
import org.counterweight.report.ReportDocument.Chart;
import org.counterweight.report.ReportDocument.Heading;
import org.counterweight.report.ReportDocument.Table;
import org.counterweight.report.ReportQueries.CellCurve;
import org.counterweight.report.ReportQueries.ClassRecall;
import org.counterweight.report.ReportQueries.TrendPoint;
import org.counterweight.results.RunInfo;
import org.counterweight.results.RunStatus;
import org.junit.jupiter.api.Test;

/**
 * The layout of an aggregation without Spark: a method with no finite value and a single dataset,
 * the verdict on data with a known answer, and the size of a large report.
 */
class ReportLayoutTest {
    private static final RunInfo RUN = new RunInfo("r", "e", Instant.EPOCH, Instant.EPOCH, "h", "v", "local",
            RunStatus.FINISHED);

    private static ReportDocument layout(String metric, List<CellValue> values, List<ClassRecall> recall,
                                         List<CellCurve> curves, List<RunInfo> runs, List<TrendPoint> trend) {
        return new ReportLayout(metric, "ce").document(new ReportData(runs, false, Aggregation.of(values), recall, curves,
                List.of(), List.of(), trend));
    }

    /**
     * Eight seeds on one dataset: "best" is the highest; "worse" is 0.05 below it in every seed
     * (exact p = 2/2^8, Holm ×2 = 0.015625: significantly worse); "tie" is +0.0005 / −0.001
     * alternating (R+ = 10 of 36: exact p = 72/256 = 0.28125, hand-counted over the 256 sign
     * patterns; Holm keeps it): not significantly different. Balanced accuracy ranks them; on
     * accuracy "worse" is made the best, which the mean-rank table shows.
     */
    @Test
    void theVerdictComesFirstWithTheBestMethodAndItsTies() {
        List<CellValue> in = new ArrayList<>();
        for (int seed = 0; seed < 8; seed++) {
            double best = 0.8 + 0.01 * seed;
            Map<String, Double> byMethod = Map.of("best", best, "tie", best + (seed % 2 == 0 ? 0.0005 : -0.001),
                    "worse", best - 0.05);
            for (var e : byMethod.entrySet()) {
                for (MetricTable.Overall m : MetricTable.OVERALL) {
                    double v = m.name().equals("accuracy") && e.getKey().equals("worse") ? 0.99 : e.getValue();
                    in.add(new CellValue("sat", e.getKey(), seed, 0, m.name(), v));
                }
            }
        }
        ReportDocument doc = layout("balanced_accuracy", in, List.of(), List.of(), List.of(RUN), List.of());
        assertEquals(new Heading(2, "Verdict (balanced_accuracy)"),
                doc.blocks().stream().filter(Heading.class::isInstance).findFirst().orElseThrow(), "the answer first");
        Table verdict = doc.blocks().stream().filter(Table.class::isInstance).map(Table.class::cast).findFirst().orElseThrow();
        List<Cell> row = verdict.rows().get(0);
        assertEquals("sat", row.get(0).text());
        assertEquals(new Cell("best", true), row.get(1));
        assertEquals("tie (p = 0.281)", row.get(3).text());
        assertEquals("worse (p = 0.016)", row.get(4).text());

        Table ranks = doc.blocks().stream().filter(Table.class::isInstance).map(Table.class::cast)
                .filter(t -> t.header().get(0).equals("method") && t.header().get(1).equals("balanced_accuracy")
                        && !t.header().contains("cells")).findFirst().orElseThrow();
        assertEquals(List.of("best", "tie", "worse"), ranks.rows().stream().map(r -> r.get(0).text()).toList());
        int accuracy = ranks.header().indexOf("accuracy");
        assertEquals(new Cell("2.00", false), ranks.rows().get(0).get(accuracy), "on accuracy best is second");
        assertEquals(new Cell("1.00", true), ranks.rows().get(2).get(accuracy), "and worse first");
        String md = MarkdownRenderer.render(doc);
        assertTrue(md.indexOf("## Verdict") < md.indexOf("## Leaderboards"), md);
    }

    /**
     * A 9-dataset × 12-method run of binary datasets with 3 seeds, each cell's ROC and PR curve
     * of 5,000 points, the trend over 3 runs: every chart well-formed and ≤ 50 KB, the HTML ≤ 2 MB.
     */
    @Test
    void aLargeReportStaysSmall() throws Exception {
        List<CellValue> values = new ArrayList<>();
        List<ClassRecall> recall = new ArrayList<>();
        List<CellCurve> curves = new ArrayList<>();
        List<TrendPoint> trend = new ArrayList<>();
        int points = 5000;
        for (int d = 0; d < 9; d++) {
            String dataset = "dataset-" + d;
            for (int m = 0; m < 12; m++) {
                String method = "method-number-" + m;
                for (int seed = 0; seed < 3; seed++) {
                    for (MetricTable.Overall o : MetricTable.OVERALL) {
                        values.add(new CellValue(dataset, method, seed, 0, o.name(), 0.5 + 0.03 * m + 0.01 * seed + 0.001 * d));
                    }
                    double[] x = new double[points];
                    double[] roc = new double[points];
                    double[] pr = new double[points];
                    double power = 0.2 + 0.05 * m + 0.01 * seed;
                    for (int i = 0; i < points; i++) {
                        x[i] = (double) i / (points - 1);
                        roc[i] = Math.pow(x[i], power);
                        pr[i] = 1 - 0.5 * Math.pow(x[i], 1 / power);
                    }
                    curves.add(new CellCurve(dataset, method, "roc", seed, 0, x, roc));
                    curves.add(new CellCurve(dataset, method, "pr", seed, 0, x, pr));
                }
                for (String label : List.of("no", "yes")) {
                    recall.add(new ClassRecall(dataset, method, label, 0.4 + 0.04 * m));
                }
                for (int r = 0; r < 3; r++) {
                    trend.add(new TrendPoint(Instant.ofEpochSecond(86_400L * r), dataset, method, 0.6 + 0.01 * r));
                }
            }
        }
        List<RunInfo> runs = List.of(RUN, RUN, RUN);
        ReportDocument doc = layout("balanced_accuracy", values, recall, curves, runs, trend);
        var xml = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        assertEquals(9 + 9 * 2 + 12 + 1, doc.charts().size(), "recall, ROC and PR per dataset, trend per method, CD");
        for (Chart c : doc.charts()) {
            byte[] svg = c.svg().getBytes(StandardCharsets.UTF_8);
            assertTrue(svg.length <= 50_000, c.name() + ": " + svg.length + " bytes");
            xml.parse(new java.io.ByteArrayInputStream(svg));
        }
        String html = HtmlRenderer.render(doc);
        assertTrue(html.getBytes(StandardCharsets.UTF_8).length <= 2_000_000, html.length() + " bytes");
        java.util.regex.Matcher coords = java.util.regex.Pattern.compile("points=\"([^\"]*)\"")
                .matcher(doc.charts().stream().filter(c -> c.name().startsWith("roc-")).findFirst().orElseThrow().svg());
        assertTrue(coords.find());
        assertFalse(coords.group(1).matches(".*\\.\\d\\d.*"), "coordinates with one decimal at most: " + coords.group(1));
    }

    @Test
    void aMetricWithoutFiniteValuesIsADashAndRanksLast() {
        List<CellValue> in = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            for (MetricTable.Overall m : MetricTable.OVERALL) {
                in.add(new CellValue("sat", "ce", seed, 0, m.name(), 0.6 + 0.01 * seed));
                in.add(new CellValue("sat", "undefined", seed, 0, m.name(),
                        m.name().equals("auc_roc") ? Double.NaN : 0.9 + 0.01 * seed));
            }
        }
        ReportDocument doc = layout("auc_roc", in, List.of(), List.of(), List.of(RUN), List.of());

        Table board = doc.blocks().stream().filter(Table.class::isInstance).map(Table.class::cast)
                .filter(t -> t.header().contains("cells")).findFirst().orElseThrow();
        assertEquals(List.of("ce", "undefined"), board.rows().stream().map(r -> r.get(0).text()).toList(),
                "sorted by auc_roc: no value last");
        int auc = board.header().indexOf("auc_roc");
        assertEquals(Cell.of("—"), board.rows().get(1).get(auc));
        assertEquals(new Cell("0.6100 ± 0.0248", true), board.rows().get(0).get(auc));
        assertEquals("3", board.rows().get(1).get(1).text(), "cells count the NaN ones");
        assertTrue(MarkdownRenderer.render(doc).contains("this run has 1 dataset(s) and 1 such method(s)"),
                MarkdownRenderer.render(doc));
    }
}
