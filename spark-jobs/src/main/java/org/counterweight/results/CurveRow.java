package org.counterweight.results;

import java.util.ArrayList;
import java.util.List;
import org.counterweight.data.LabelIndex;
import org.counterweight.evaluate.ClassRanking;
import org.counterweight.evaluate.CurvePoint;
import org.counterweight.evaluate.Evaluation;

/**
 * A point of a stored ROC ({@code curve = "roc"}: x = FPR, y = TPR) or precision–recall
 * ({@code curve = "pr"}: x = recall, y = precision) curve of one class against the rest.
 * The report draws curves from these rows because predictions are not kept.
 */
public record CurveRow(String curve, String className, int point, double threshold, double x, double y) {
    /** Curve name of ROC rows. */
    public static final String ROC = "roc";
    /** Curve name of precision–recall rows. */
    public static final String PR = "pr";

    /**
     * The curves behind the headline metrics: for a binary task the ROC curve of class 1 (as
     * {@code auc_roc}) and the PR curve of the minority class (as {@code average_precision}); for
     * more classes both curves of every class with a defined one-vs-rest task.
     */
    public static List<CurveRow> of(Evaluation e, LabelIndex labels) {
        List<CurveRow> rows = new ArrayList<>();
        for (int k = 0; k < e.numClasses(); k++) {
            ClassRanking r = e.rankings().get(k);
            if (!r.defined()) {
                continue;
            }
            boolean binary = e.numClasses() == 2;
            if (!binary || k == 1) {
                add(rows, ROC, labels.value(k), r.roc());
            }
            if (!binary || k == e.minorityClass()) {
                add(rows, PR, labels.value(k), r.precisionRecall());
            }
        }
        return rows;
    }

    private static void add(List<CurveRow> rows, String curve, String className, List<CurvePoint> points) {
        for (int i = 0; i < points.size(); i++) {
            CurvePoint p = points.get(i);
            rows.add(new CurveRow(curve, className, i, p.threshold(), p.x(), p.y()));
        }
    }
}
