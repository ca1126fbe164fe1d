package org.counterweight.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.counterweight.cli.Main;
import org.counterweight.data.DataException;
import org.counterweight.FileModes;
import org.counterweight.SparkTestSupport;
import org.counterweight.evaluate.stats.Nemenyi;
import org.counterweight.evaluate.stats.Summary;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.results.CellResult;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report over {@link SampleWarehouse}: leaderboard numbers, best marks and Wilcoxon marks,
 * the critical difference, the charts, only finished runs, and a self-contained HTML file. The
 * report is left in {@code target/report-test/} for {@code tools/check-report-html.sh}.
 */
class ReportBuilderTest {
    private static SparkSession spark;
    private static Path warehouse;
    private static Path out;
    private static String md;
    private static String html;
    private static ReportDocument doc;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void build() throws Exception {
        spark = SparkTestSupport.spark();
        Path target = Path.of(System.getProperty("cw.projectDir", "."), "spark-jobs", "target");
        warehouse = tmp.resolve("warehouse");
        out = target.resolve("report-test");
        ResultsStore store = ResultsStore.open(spark, warehouse.toString());
        SampleWarehouse.populate(store);
        // target/report-test is kept for a look at the result; replace whatever an earlier build left.
        doc = new ReportBuilder(spark, store).write(Output.of(out.toString(), OutputKind.REPORT).overwrite(true));
        md = Files.readString(out.resolve("report.md"));
        html = Files.readString(out.resolve("report.html"));
    }

    /** The leaderboard row of a method in the section of a dataset. */
    private static String row(String dataset, String method) {
        String section = md.substring(md.indexOf("### " + dataset));
        Matcher m = Pattern.compile("^\\| " + method + " \\|.*$", Pattern.MULTILINE).matcher(section);
        assertTrue(m.find(), "no row for " + method + " in " + dataset);
        return m.group();
    }

    @Test
    void leaderboardShowsMeanAndConfidenceIntervalOfTheNewestRun() {
        double[] v = new double[6];
        for (int seed = 0; seed < 3; seed++) {
            for (int fold = 0; fold < 2; fold++) {
                v[seed * 2 + fold] = SampleWarehouse.value(1, "binary-set", "focal", seed, fold);
            }
        }
        Summary s = Summary.of(v);
        String expected = String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.halfWidth());
        String focal = row("binary-set", "focal");
        assertTrue(focal.contains("**" + expected), focal + " should show the best value " + expected + " in bold");
        assertFalse(row("binary-set", "ce").contains("**"), "ce is never best");
    }

    /**
     * The report opens with the verdict on g_mean, the metric the run's config names (no metric
     * was asked for; cells of "same" lack the row, like old stores): on each dataset
     * focal is best, and its paired tests against ce and same (6 cells, focal ahead in all: exact
     * p = 2/64 each) are Holm-corrected over the dataset's two tests to 0.0625: both tied with it.
     */
    @Test
    void theReportStartsWithTheVerdict() {
        assertTrue(md.substring(md.indexOf("\n## ")).startsWith("\n## Verdict (g_mean)"), md);
        for (String dataset : SampleWarehouse.DATASETS) {
            Matcher m = Pattern.compile("^\\| " + dataset + " \\| \\*\\*focal\\*\\* \\|.*$", Pattern.MULTILINE).matcher(md);
            assertTrue(m.find(), md);
            assertTrue(m.group().contains("ce (p = 0.063)") && m.group().contains("same (p = 0.063)"), m.group());
            assertTrue(m.group().endsWith("| none |"), "nothing significantly worse: " + m.group());
        }
        assertTrue(md.indexOf("## Verdict") < md.indexOf("## Leaderboards")
                && md.indexOf("## Leaderboards") < md.indexOf("## Recall per class"), "verdict, tables, charts");
        for (ReportDocument.Chart c : doc.charts()) {
            assertTrue(c.svg().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 50_000, c.name());
        }
    }

    @Test
    void wilcoxonMarksAreHolmCorrectedOverTheDatasets() {
        // focal beats ce in all 6 paired cells of each dataset: exact two-sided p = 2/64 alone, but
        // Holm over the column's 4 tests (2 datasets x focal, same) makes it 4 * 2/64 = 0.125.
        assertTrue(md.contains("after Holm's correction"), "the correction is stated");
        assertFalse(row("three-class", "focal").contains("†"));
        assertFalse(row("binary-set", "focal").contains("†"));
        // same = ce ± 0.001 alternating: not significant in any case.
        assertFalse(row("three-class", "same").contains("†"));
        assertFalse(row("three-class", "ce").contains("†"));
        // Across the 2 datasets focal wins both; n = 2 cannot reach p < 0.05 (exact p = 0.5).
        assertTrue(md.contains("| focal | 2 | 2 / 0 / 0 | 0.5000 |"), md);
    }

    /**
     * The tuning table of run-1 (12 cells per method): each method's budget, selections and kept
     * values as SampleWarehouse wrote them; "same", written like a store without params, shows its
     * tuned_margin metric and no budget.
     */
    @Test
    void tuningTableStatesEachMethodsBudget() {
        assertTrue(md.contains("## Tuning budget"), md);
        assertTrue(md.contains("| ce | 4 | validation ×12 | lr: 0.01 ×6, 0.05 ×6 |"), md);
        assertTrue(md.contains("| focal | 4 | inner-3-fold ×6, validation ×6 | alpha: inverse ×12; gamma: 1 ×8, 2 ×4 |"), md);
        assertTrue(md.contains("| same | — | — | margin: 0.5 ×12 |"), md);
    }

    @Test
    void criticalDifferenceIsDemsarsNemenyi() {
        String cd = String.format(Locale.ROOT, "CD = %.3f", Nemenyi.criticalDifference(3, 2, 0.05));
        assertTrue(md.contains(cd), "expected " + cd);
        assertTrue(doc.charts().stream().anyMatch(c -> c.name().equals("critical-difference") && c.svg().contains(cd)));
    }

    @Test
    void chartsCoverRecallCurvesAndTrend() throws Exception {
        List<String> names = doc.charts().stream().map(ReportDocument.Chart::name).toList();
        assertEquals(2, names.stream().filter(n -> n.startsWith("recall-")).count(), names.toString());
        assertEquals(1, names.stream().filter(n -> n.startsWith("roc-")).count(), "ROC only for the binary dataset");
        assertEquals(1, names.stream().filter(n -> n.startsWith("pr-")).count());
        assertEquals(3, names.stream().filter(n -> n.startsWith("trend-")).count(), "one trend chart per method");
        for (String n : names) {
            assertTrue(Files.readString(out.resolve("charts/" + n + ".svg")).contains("<svg"), n);
            assertTrue(md.contains("(charts/" + n + ".svg)"), n);
        }
    }

    @Test
    void onlyFinishedRunsAreReported() {
        assertFalse(md.contains("leaky") || md.contains("interrupted"));
        assertTrue(md.contains("run-1") && md.contains("run-0"));
        ResultsStore store = ResultsStore.open(spark, warehouse.toString());
        DataException e = assertThrows(DataException.class,
                () -> new ReportBuilder(spark, store).runIds(List.of("interrupted")).build());
        assertTrue(e.getMessage().contains("running"), e.getMessage());
        assertThrows(DataException.class, () -> new ReportBuilder(spark, store).since(LocalDate.now().plusDays(2)).build());
        ReportDocument one = new ReportBuilder(spark, store).runIds(List.of("run-0")).build();
        assertTrue(one.charts().stream().noneMatch(c -> c.name().startsWith("trend-")), "one run: no trend");
    }

    @Test
    void htmlIsSelfContained() {
        assertEquals(doc.charts().size(), html.split("<img ", -1).length - 1);
        assertFalse(html.contains("<script"));
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "no external resources");
        assertTrue(html.contains("src=\"data:image/svg+xml;base64,"));
    }

    @Test
    void anUnfinishedRunIsReportedOnlyWhenAskedFor() {
        ResultsStore store = ResultsStore.open(spark, warehouse.toString());
        ReportDocument partial = new ReportBuilder(spark, store).runIds(List.of("interrupted")).includeUnfinished(true)
                .metric("balanced_accuracy").build();
        String text = MarkdownRenderer.render(partial);
        assertTrue(text.contains("not finished (running)"), "the runs table marks the run");
        assertTrue(text.contains("cover only the cells they finished"));
        // Its one cell: method "leaky" on binary-set, the value SampleWarehouse wrote for it.
        Matcher m = Pattern.compile("^\\| leaky \\|.*$", Pattern.MULTILINE).matcher(text.substring(text.indexOf("## Leaderboards")));
        assertTrue(m.find(), text);
        assertTrue(m.group().contains(String.format(java.util.Locale.ROOT, "%.4f",
                SampleWarehouse.value(5, "binary-set", "leaky", 0, 0))), m.group());
        // Asked for by name only: the finished runs' report is unchanged.
        ReportDocument both = new ReportBuilder(spark, store).runIds(List.of("run-1", "interrupted"))
                .includeUnfinished(true).build();
        assertTrue(MarkdownRenderer.render(both).contains("run-1"));
        assertFalse(MarkdownRenderer.render(new ReportBuilder(spark, store).build()).contains("leaky"));
    }

    /** Two runs of one experiment with seeds {0, 1} and {2}: pooled, one leaderboard over 3 seeds. */
    @Test
    void pooledRunsFormOneLeaderboardAndMustNotShareCells() {
        ResultsStore store = ResultsStore.open(spark, tmp.resolve("pooled").toString());
        for (String[] run : new String[][] {{"seeds-0-1", "0", "2"}, {"seed-2", "2", "1"}}) {
            store.beginRun(run[0], "sample", "hash");
            List<CellResult> cells = new ArrayList<>();
            for (String dataset : SampleWarehouse.DATASETS) {
                for (String method : SampleWarehouse.METHODS) {
                    cells.addAll(SampleWarehouse.cells(1, dataset, method, Integer.parseInt(run[1]), Integer.parseInt(run[2]), 1));
                }
            }
            store.writeCells(run[0], cells);
            store.finishRun(run[0], RunStatus.FINISHED);
        }
        String text = MarkdownRenderer.render(new ReportBuilder(spark, store).runIds(List.of("seeds-0-1", "seed-2"))
                .pool(true).build());
        Summary s = Summary.of(new double[] {SampleWarehouse.value(1, "binary-set", "focal", 0, 0),
            SampleWarehouse.value(1, "binary-set", "focal", 1, 0), SampleWarehouse.value(1, "binary-set", "focal", 2, 0)});
        String section = text.substring(text.indexOf("### binary-set"));
        Matcher m = Pattern.compile("^\\| focal \\|.*$", Pattern.MULTILINE).matcher(section);
        assertTrue(m.find(), section);
        assertTrue(m.group().contains(String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.halfWidth())), m.group());
        assertTrue(text.contains("pooled"));

        // run-0 and run-1 of the shared sample both hold seed 0, fold 0.
        ResultsStore sample = ResultsStore.open(spark, warehouse.toString());
        DataException e = assertThrows(DataException.class,
                () -> new ReportBuilder(spark, sample).runIds(List.of("run-0", "run-1")).pool(true).build());
        assertTrue(e.getMessage().contains("[run-0, run-1]") && e.getMessage().contains("seed 0, fold 0"), e.getMessage());
    }

    @Test
    void cliWritesTheReportAndRejectsBadOptions() throws Exception {
        Path cliOut = tmp.resolve("cli-report");
        assertEquals(0, Main.execute("report", "--warehouse", warehouse.toString(), "--since", "2000-01-01",
                "--output", cliOut.toString(), "--metric", "auc_roc"));
        assertTrue(Files.readString(cliOut.resolve("report.md")).contains("critical difference (auc_roc)"), "--metric wins");
        Path runMetricOut = tmp.resolve("cli-run-metric");
        assertEquals(0, Main.execute("report", "--warehouse", warehouse.toString(), "--output", runMetricOut.toString()));
        assertTrue(Files.readString(runMetricOut.resolve("report.md")).contains("critical difference (g_mean)"),
                "without --metric: the run's");
        assertEquals(2, Main.execute("report", "--warehouse", warehouse.toString(), "--metric", "nope"));
        assertEquals(2, Main.execute("report", "--warehouse", warehouse.toString(), "--since", "yesterday"));
        assertEquals(2, Main.execute("report", "--warehouse", warehouse.toString(), "--run-id", "interrupted",
                "--output", cliOut.toString()));
        assertEquals(2, Main.execute("report", "--warehouse", warehouse.toString(), "--include-unfinished",
                "--output", cliOut.toString()));
        Path partialOut = tmp.resolve("cli-partial");
        assertEquals(0, Main.execute("report", "--warehouse", warehouse.toString(), "--run-id", "interrupted",
                "--include-unfinished", "--output", partialOut.toString()));
        assertTrue(Files.readString(partialOut.resolve("report.md")).contains("not finished (running)"));
        Path typoOut = tmp.resolve("cli-baseline");
        assertEquals(2, Main.execute("report", "--warehouse", warehouse.toString(), "--since", "2000-01-01",
                "--baseline", "smoet", "--output", typoOut.toString()));
        assertFalse(Files.exists(typoOut));
    }

    @Test
    void reportFilesGetTheUmaskPermissionsLikeAnyNewFile() throws Exception {
        FileModes.assertLikeOrdinaryFile(out.resolve("report.md"));
        FileModes.assertLikeOrdinaryFile(out.resolve("report.html"));
        FileModes.assertLikeOrdinaryFile(out.resolve("charts/" + doc.charts().get(0).name() + ".svg"));
    }
}
