package org.counterweight.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.counterweight.data.LabelIndex;

/**
 * The metrics of METHODS.md §5 as data: each is a name, a one-line definition and a pure function
 * of an {@link Evaluation} (confusion counts and one-vs-rest rankings). Adding a metric is one
 * entry here; the CLI, the results store and the report pick it up by name.
 *
 * <p>Each definition matches one scikit-learn / imbalanced-learn call exactly (classes
 * {@code 0..K-1}, {@code y} labels, {@code p} predictions; {@code tools/fixtures/evaluate} checks
 * them to 1e-9):
 * <ul>
 *   <li>precision, recall, f1, support, f1_macro: {@code precision_recall_fscore_support(y, p,
 *       labels=range(K), zero_division=0)}; F1 = 2PR/(P+R), 0 when P+R = 0.</li>
 *   <li>accuracy: {@code accuracy_score}; balanced_accuracy: {@code balanced_accuracy_score(y, p)},
 *       the mean recall over classes that occur in y.</li>
 *   <li>g_mean: {@code imblearn.metrics.geometric_mean_score(y, p, labels=range(K))}: the geometric
 *       mean of all K recalls, so 0 when any class (even one absent from y) has recall 0.</li>
 *   <li>mcc: {@code matthews_corrcoef(y, p)} (Gorodkin's multiclass form), 0 when undefined.</li>
 *   <li>auc_roc: binary {@code roc_auc_score(y, prob_1)}; multiclass the mean of
 *       {@code roc_auc_score(y == k, prob_k)} over classes k with both positives and negatives,
 *       which equals {@code roc_auc_score(..., multi_class='ovr', average='macro')} when every class
 *       occurs (scikit-learn raises otherwise).</li>
 *   <li>average_precision: binary {@code average_precision_score(y == m, prob_m)} for the minority
 *       class m; multiclass the mean over the same classes as auc_roc.</li>
 * </ul>
 * Undefined ratios (0/0) are 0 (METHODS.md §5). AUC/AP are NaN only when no class has a defined
 * one-vs-rest task (a single class in the labels).
 */
public final class MetricTable {

    /** A metric of the whole evaluation. */
    public record Overall(String name, String definition, ToDoubleFunction<Evaluation> function) {
        /** The value for {@code e}. */
        public double apply(Evaluation e) {
            return function.applyAsDouble(e);
        }
    }

    /** A metric with one value per class. */
    public record PerClass(String name, String definition, ClassFunction function) {
        /** The value for class {@code k} of {@code e}. */
        public double apply(Evaluation e, int k) {
            return function.apply(e, k);
        }
    }

    /** A pure function of an evaluation and a class index. */
    @FunctionalInterface
    public interface ClassFunction {
        /** The value for class {@code k}. */
        double apply(Evaluation e, int k);
    }

    /** Per-class metrics, in output order. */
    public static final List<PerClass> PER_CLASS = List.of(
            new PerClass("precision", "tp / predicted", MetricTable::precision),
            new PerClass("recall", "tp / support", MetricTable::recall),
            new PerClass("f1", "2 precision recall / (precision + recall)", MetricTable::f1),
            new PerClass("support", "rows of the class", (e, k) -> e.confusion().support(k)));

    /** Overall metrics, in output order. */
    public static final List<Overall> OVERALL = List.of(
            new Overall("accuracy", "correct / total",
                    e -> ratio(e.confusion().correct(), e.confusion().total())),
            new Overall("balanced_accuracy", "mean recall over classes present in the labels",
                    e -> e.confusion().balancedAccuracy()),
            new Overall("f1_macro", "mean F1 over all K classes",
                    e -> mean(classes(e).mapToDouble(k -> f1(e, k)).toArray())),
            new Overall("f1_minority", "F1 of the minority class",
                    e -> f1(e, e.minorityClass())),
            new Overall("g_mean", "geometric mean of all K recalls",
                    e -> geometricMean(classes(e).mapToDouble(k -> recall(e, k)).toArray())),
            new Overall("mcc", "Matthews correlation coefficient, multiclass form",
                    MetricTable::mcc),
            new Overall("auc_roc", "ROC AUC: binary prob_1; multiclass one-vs-rest macro",
                    e -> e.numClasses() == 2 ? e.rankings().get(1).auc()
                            : mean(definedRankings(e).mapToDouble(ClassRanking::auc).toArray())),
            new Overall("average_precision", "AP: binary minority positive; multiclass one-vs-rest macro",
                    e -> e.numClasses() == 2 ? e.rankings().get(e.minorityClass()).averagePrecision()
                            : mean(definedRankings(e).mapToDouble(ClassRanking::averagePrecision).toArray())));

    private MetricTable() {
    }

    /** Names of all metrics: overall first, then per class. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        OVERALL.forEach(m -> names.add(m.name()));
        PER_CLASS.forEach(m -> names.add(m.name()));
        return names;
    }

    /** The value of an overall metric by name. */
    public static double overall(Evaluation e, String name) {
        return OVERALL.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + name + "' (known: "
                        + String.join(", ", names()) + ")"))
                .apply(e);
    }

    /**
     * All metrics as rows: overall metrics (class null), then per-class metrics class by class,
     * classes named by their original label values.
     */
    public static List<MetricRow> rows(Evaluation e, LabelIndex labels) {
        if (labels.size() != e.numClasses()) {
            throw new IllegalArgumentException("label index has " + labels.size() + " classes, evaluation has "
                    + e.numClasses());
        }
        List<MetricRow> rows = new ArrayList<>();
        for (Overall m : OVERALL) {
            rows.add(new MetricRow(m.name(), null, m.apply(e)));
        }
        for (PerClass m : PER_CLASS) {
            for (int k = 0; k < e.numClasses(); k++) {
                rows.add(new MetricRow(m.name(), labels.value(k), m.apply(e, k)));
            }
        }
        return rows;
    }

    static double precision(Evaluation e, int k) {
        return ratio(e.confusion().truePositives(k), e.confusion().predicted(k));
    }

    static double recall(Evaluation e, int k) {
        return e.confusion().recall(k);
    }

    static double f1(Evaluation e, int k) {
        // scikit-learn 1.2 computes F from the zero_division-adjusted precision and recall.
        double p = precision(e, k);
        double r = recall(e, k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * Gorodkin (2004) multiclass MCC as scikit-learn computes it:
     * (c·s − t·p) / sqrt((s² − p·p)(s² − t·t)) with t, p the true and predicted class counts,
     * c the correct count and s the total; 0 when a factor of the denominator is 0.
     */
    static double mcc(Evaluation e) {
        ConfusionMatrix c = e.confusion();
        double s = c.total();
        double tp = 0;
        double pp = 0;
        double tt = 0;
        for (int k = 0; k < c.numClasses(); k++) {
            double t = c.support(k);
            double p = c.predicted(k);
            tp += t * p;
            pp += p * p;
            tt += t * t;
        }
        double covYtYp = c.correct() * s - tp;
        double covYpYp = s * s - pp;
        double covYtYt = s * s - tt;
        return covYpYp * covYtYt == 0 ? 0 : covYtYp / Math.sqrt(covYtYt * covYpYp);
    }

    /** x / y with 0/0 = 0 (scikit-learn's zero_division=0). */
    static double ratio(double x, double y) {
        return y == 0 ? 0 : x / y;
    }

    private static IntStream classes(Evaluation e) {
        return IntStream.range(0, e.numClasses());
    }

    private static java.util.stream.Stream<ClassRanking> definedRankings(Evaluation e) {
        return e.rankings().stream().filter(ClassRanking::defined);
    }

    private static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** scipy.stats.gmean: exp(mean(log x)), so 0 as soon as one value is 0. */
    private static double geometricMean(double[] values) {
        double logSum = 0;
        for (double v : values) {
            if (v == 0) {
                return 0;
            }
            logSum += Math.log(v);
        }
        return Math.exp(logSum / values.length);
    }
}
