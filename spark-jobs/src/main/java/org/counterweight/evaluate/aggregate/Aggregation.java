package org.counterweight.evaluate.aggregate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.counterweight.evaluate.stats.FriedmanTest;
import org.counterweight.evaluate.stats.Holm;
import org.counterweight.evaluate.stats.Nemenyi;
import org.counterweight.evaluate.stats.Summary;
import org.counterweight.evaluate.stats.WilcoxonSignedRank;

/**
 * The cell values of an experiment, grouped by (dataset, method, metric), with the summaries and
 * tests the leaderboard and the report show. Non-finite values follow the package's NaN policy.
 * Within a group, values are taken in (seed, fold) order, so results do not depend on the order
 * the values came in. Immutable.
 */
public final class Aggregation {
    private record Group(String dataset, String method, String metric) {
    }

    private record Cell(long seed, int fold) implements Comparable<Cell> {
        private static final Comparator<Cell> ORDER = Comparator.comparingLong(Cell::seed).thenComparingInt(Cell::fold);

        @Override
        public int compareTo(Cell o) {
            return ORDER.compare(this, o);
        }
    }

    private final Map<Group, SortedMap<Cell, Double>> values = new HashMap<>();
    private final Map<Group, Summary> summaries = new HashMap<>();
    /** dataset → method → the (seed, fold) cells it has values in. */
    private final SortedMap<String, SortedMap<String, Set<Cell>>> cells = new TreeMap<>();

    private Aggregation(Collection<CellValue> in) {
        for (CellValue v : in) {
            Group g = new Group(v.dataset(), v.method(), v.metric());
            Cell c = new Cell(v.seed(), v.fold());
            if (values.computeIfAbsent(g, x -> new TreeMap<>()).put(c, v.value()) != null) {
                throw new IllegalArgumentException("two values of " + v.metric() + " for dataset " + v.dataset()
                        + ", method " + v.method() + ", seed " + v.seed() + ", fold " + v.fold());
            }
            cells.computeIfAbsent(v.dataset(), d -> new TreeMap<>()).computeIfAbsent(v.method(), m -> new TreeSet<>())
                    .add(c);
        }
        values.forEach((g, byCell) -> {
            double[] finite = byCell.values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
            if (finite.length > 0) {
                summaries.put(g, Summary.of(finite));
            }
        });
    }

    /** Groups {@code values}; two values for one (dataset, method, seed, fold, metric) are an error. */
    public static Aggregation of(Collection<CellValue> values) {
        return new Aggregation(values);
    }

    /** The datasets, by name. */
    public List<String> datasets() {
        return List.copyOf(cells.keySet());
    }

    /** Every method of any dataset, by name. */
    public List<String> methods() {
        TreeSet<String> all = new TreeSet<>();
        cells.values().forEach(byMethod -> all.addAll(byMethod.keySet()));
        return List.copyOf(all);
    }

    /** The methods with values on {@code dataset}, by name. */
    public List<String> methods(String dataset) {
        return List.copyOf(cells.getOrDefault(dataset, Collections.emptySortedMap()).keySet());
    }

    /** How many (seed, fold) cells of {@code method} on {@code dataset} have values, NaN or not. */
    public int cells(String dataset, String method) {
        return cells.getOrDefault(dataset, Collections.emptySortedMap()).getOrDefault(method, Set.of()).size();
    }

    /** Mean and 95% t interval over the finite values; empty when there is none. */
    public Optional<Summary> summary(String dataset, String method, String metric) {
        return Optional.ofNullable(summaries.get(new Group(dataset, method, metric)));
    }

    /**
     * The methods of {@code dataset}, highest mean of {@code metric} first; those without a summary
     * of it last; equal means by name.
     */
    public List<String> ranked(String dataset, String metric) {
        List<String> methods = new ArrayList<>(methods(dataset));
        methods.sort(Comparator.comparingDouble((String m) -> summary(dataset, m, metric).map(Summary::mean)
                .orElse(Double.NEGATIVE_INFINITY)).reversed());
        return methods;
    }

    /**
     * Two-sided paired Wilcoxon signed-rank test of {@code method} against {@code baseline} on
     * {@code metric} over the (seed, fold) cells where both have a finite value; empty when there
     * is no such cell.
     */
    public Optional<WilcoxonSignedRank.Result> paired(String dataset, String method, String baseline, String metric) {
        Map<Cell, Double> x = values.getOrDefault(new Group(dataset, method, metric), Collections.emptySortedMap());
        Map<Cell, Double> y = values.getOrDefault(new Group(dataset, baseline, metric), Collections.emptySortedMap());
        List<Cell> both = x.keySet().stream()
                .filter(c -> Double.isFinite(x.get(c)) && y.containsKey(c) && Double.isFinite(y.get(c))).toList();
        if (both.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(WilcoxonSignedRank.test(both.stream().mapToDouble(x::get).toArray(),
                both.stream().mapToDouble(y::get).toArray()));
    }

    /**
     * Holm-adjusted p-values (Holm 1979) of every per-dataset paired test of a method against
     * {@code baseline} on {@code metric}: the family is all (dataset, method) tests of that
     * metric, so a report's † marks hold their familywise error rate at α across its datasets.
     * Tests without a p-value (no finite pairs, or every difference zero) are not in the family.
     *
     * @return (dataset, method) → adjusted p-value
     */
    public Map<List<String>, Double> pairedHolm(String baseline, String metric) {
        List<List<String>> keys = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        for (String dataset : datasets()) {
            for (String method : methods(dataset)) {
                if (method.equals(baseline)) {
                    continue;
                }
                paired(dataset, method, baseline, metric).map(WilcoxonSignedRank.Result::pValue)
                        .filter(Double::isFinite).ifPresent(p -> {
                            keys.add(List.of(dataset, method));
                            raw.add(p);
                        });
            }
        }
        double[] adjusted = Holm.correct(raw.stream().mapToDouble(Double::doubleValue).toArray(), 0.05).adjusted();
        Map<List<String>, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), adjusted[i]);
        }
        return out;
    }

    /**
     * The test across datasets of {@code method} against {@code baseline} on {@code metric}
     * (Demšar 2006, §3.1.3): the Wilcoxon signed-rank test on the per-dataset means, over the
     * datasets where both have a summary; empty with fewer than two such datasets.
     */
    public Optional<AcrossDatasets> acrossDatasets(String method, String baseline, String metric) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        int wins = 0;
        int losses = 0;
        for (String dataset : datasets()) {
            Optional<Summary> m = summary(dataset, method, metric);
            Optional<Summary> b = summary(dataset, baseline, metric);
            if (m.isPresent() && b.isPresent()) {
                x.add(m.get().mean());
                y.add(b.get().mean());
                wins += m.get().mean() > b.get().mean() ? 1 : 0;
                losses += m.get().mean() < b.get().mean() ? 1 : 0;
            }
        }
        if (x.size() < 2) {
            return Optional.empty();
        }
        WilcoxonSignedRank.Result r = WilcoxonSignedRank.acrossDatasets(x.stream().mapToDouble(Double::doubleValue).toArray(),
                y.stream().mapToDouble(Double::doubleValue).toArray());
        return Optional.of(new AcrossDatasets(method, x.size(), wins, x.size() - wins - losses, losses, r));
    }

    /** A method against the baseline across datasets: datasets compared, wins/ties/losses on the means, the test. */
    public record AcrossDatasets(String method, int datasets, int wins, int ties, int losses, WilcoxonSignedRank.Result test) {
    }

    /**
     * The best method of {@code dataset} on {@code metric} (highest mean) and the methods not
     * significantly worse: each other method with a summary is tested against the best with the
     * paired Wilcoxon test over their common (seed, fold) cells, and the p-values are
     * Holm-corrected over the dataset's tests; a method is tied with the best unless its test is
     * rejected at {@code alpha}. A test with every difference zero (no p-value) is a tie outside
     * the family; a method without a common finite cell cannot be tested. Empty without any
     * summary of the metric.
     */
    public Optional<Verdict> verdict(String dataset, String metric, double alpha) {
        List<String> ranked = ranked(dataset, metric).stream().filter(m -> summary(dataset, m, metric).isPresent()).toList();
        if (ranked.isEmpty()) {
            return Optional.empty();
        }
        String best = ranked.get(0);
        List<String> tested = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        Map<String, Double> adjusted = new LinkedHashMap<>();
        List<String> untested = new ArrayList<>();
        for (String m : ranked.subList(1, ranked.size())) {
            Optional<WilcoxonSignedRank.Result> test = paired(dataset, m, best, metric);
            if (test.isEmpty()) {
                untested.add(m);
            } else if (Double.isNaN(test.get().pValue())) {
                adjusted.put(m, Double.NaN);
            } else {
                tested.add(m);
                raw.add(test.get().pValue());
            }
        }
        double[] p = Holm.correct(raw.stream().mapToDouble(Double::doubleValue).toArray(), alpha).adjusted();
        for (int i = 0; i < tested.size(); i++) {
            adjusted.put(tested.get(i), p[i]);
        }
        Map<String, Double> ties = new LinkedHashMap<>();
        Map<String, Double> worse = new LinkedHashMap<>();
        for (String m : ranked.subList(1, ranked.size())) {
            if (adjusted.containsKey(m)) {
                double pm = adjusted.get(m);
                (pm <= alpha ? worse : ties).put(m, pm);
            }
        }
        return Optional.of(new Verdict(dataset, best, ties, worse, untested));
    }

    /**
     * The verdict on one dataset.
     *
     * @param best     the method with the highest mean
     * @param ties     the methods not significantly different from it, highest mean first, with
     *                 their Holm-adjusted p-values (NaN: every difference zero)
     * @param worse    the methods significantly worse, with their adjusted p-values
     * @param untested the methods without a finite cell in common with the best
     */
    public record Verdict(String dataset, String best, Map<String, Double> ties, Map<String, Double> worse,
                          List<String> untested) {
        /** Copies the collections, keeping their order. */
        public Verdict {
            ties = Collections.unmodifiableMap(new LinkedHashMap<>(ties));
            worse = Collections.unmodifiableMap(new LinkedHashMap<>(worse));
            untested = List.copyOf(untested);
        }
    }

    /**
     * Each method's average rank on {@code metric} over all datasets (its mean per dataset ranked
     * among the methods, 1 = best, ties averaged; the Friedman test's R_j, Demšar 2006 §3.2.2),
     * for the {@link #methodsOnEveryDataset methods on every dataset}, by name; one dataset is
     * enough. Empty when no method has the metric on every dataset.
     */
    public Map<String, Double> meanRanks(String metric) {
        List<String> datasets = datasets();
        List<String> methods = methodsOnEveryDataset(metric);
        Map<String, Double> out = new LinkedHashMap<>();
        if (datasets.isEmpty() || methods.isEmpty()) {
            return out;
        }
        double[] ranks = FriedmanTest.averageRanks(scores(datasets, methods, metric));
        for (int j = 0; j < methods.size(); j++) {
            out.put(methods.get(j), ranks[j]);
        }
        return out;
    }

    private double[][] scores(List<String> datasets, List<String> methods, String metric) {
        double[][] scores = new double[datasets.size()][methods.size()];
        for (int i = 0; i < datasets.size(); i++) {
            for (int j = 0; j < methods.size(); j++) {
                scores[i][j] = summaries.get(new Group(datasets.get(i), methods.get(j), metric)).mean();
            }
        }
        return scores;
    }

    /** The methods with a summary of {@code metric} on every dataset, by name. */
    public List<String> methodsOnEveryDataset(String metric) {
        return methods().stream()
                .filter(m -> cells.keySet().stream().allMatch(d -> summary(d, m, metric).isPresent())).toList();
    }

    /**
     * The Friedman test of {@code metric} (the mean per dataset) over all datasets for the
     * {@link #methodsOnEveryDataset methods on every dataset}, with Nemenyi's critical difference at
     * {@code alpha}; empty with fewer than two datasets or two such methods.
     */
    public Optional<RankTest> friedman(String metric, double alpha) {
        List<String> datasets = datasets();
        List<String> methods = methodsOnEveryDataset(metric);
        if (datasets.size() < 2 || methods.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new RankTest(metric, datasets, methods, FriedmanTest.test(scores(datasets, methods, metric)), alpha,
                Nemenyi.criticalDifference(methods.size(), datasets.size(), alpha)));
    }
}
