package org.counterweight.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.counterweight.evaluate.MetricTable;
import org.counterweight.evaluate.aggregate.Aggregation;
import org.counterweight.evaluate.aggregate.CellValue;
import org.counterweight.report.ReportDocument.Cell;
import org.counterweight.report.ReportDocument.Table;
import org.counterweight.results.RunInfo;
import org.counterweight.results.RunStatus;
import org.junit.jupiter.api.Test;

/** The layout of an aggregation without Spark: a method with no finite value and a single dataset. */
class ReportLayoutTest {

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
        RunInfo run = new RunInfo("r", "e", Instant.EPOCH, Instant.EPOCH, "h", "v", "local", RunStatus.FINISHED);
        ReportDocument doc = new ReportLayout("auc_roc", "ce").document(new ReportData(List.of(run), false,
                Aggregation.of(in), List.of(), List.of(), List.of(), List.of(), List.of()));

        Table board = doc.blocks().stream().filter(Table.class::isInstance).map(Table.class::cast)
                .filter(t -> t.header().contains("auc_roc")).findFirst().orElseThrow();
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
