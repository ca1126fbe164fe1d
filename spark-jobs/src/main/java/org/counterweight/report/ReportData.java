package org.counterweight.report;

import java.util.List;
import org.counterweight.evaluate.aggregate.Aggregation;
import org.counterweight.report.ReportQueries.CellCurve;
import org.counterweight.report.ReportQueries.ClassRecall;
import org.counterweight.report.ReportQueries.StageTiming;
import org.counterweight.report.ReportQueries.TrendPoint;
import org.counterweight.report.ReportQueries.TuningValue;
import org.counterweight.results.RunInfo;

/**
 * What a report shows, as read from the results store.
 *
 * @param runs    the selected runs, newest first
 * @param pooled  whether the leaderboard, charts and tests cover all of them as one run (else the newest)
 * @param cells   the overall metrics of the leaderboard's cells
 * @param recall  per-class recall of the leaderboard's cells
 * @param curves  ROC and PR curves of its cells on binary datasets
 * @param timings its stage timings
 * @param tuning  its methods' tuning budgets, selections and kept values
 * @param trend   the ranked metric per selected run (empty for one run)
 */
record ReportData(List<RunInfo> runs, boolean pooled, Aggregation cells,
                  List<ClassRecall> recall, List<CellCurve> curves, List<StageTiming> timings, List<TuningValue> tuning,
                  List<TrendPoint> trend) {
}
