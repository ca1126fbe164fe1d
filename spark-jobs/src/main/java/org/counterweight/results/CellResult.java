package org.counterweight.results;

import java.util.List;
import java.util.Map;
import org.counterweight.evaluate.MetricRow;

/**
 * What the results store keeps of one cell ({@link ResultsStore#writeCells}): its metrics,
 * timings, curve points and hyper-parameters ({@code params}, name to value, in order).
 */
public record CellResult(CellKey cell, List<MetricRow> metrics, List<TimingRow> timings, List<CurveRow> curves,
                         Map<String, String> params) {
}
