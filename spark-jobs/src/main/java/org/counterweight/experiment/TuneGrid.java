package org.counterweight.experiment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.counterweight.resample.ResampleMethod;
import org.counterweight.spec.Spec;

/**
 * A method's tuning candidates (docs/experiments.md, "Tuning"): its grid — the {@code all} grid
 * merged with the method's own, whose keys override — expanded to every combination and fitted to
 * the experiment's budget, and how a candidate's values go into the method's specs.
 *
 * <p>Budget rule: a grid with fewer combinations than the budget is padded with learning rates
 * spread geometrically around the configured one — base·r, base/r, base·r², base/r², …, skipping
 * rates the grid already tries, with r = 2, or smaller when more than six are missing so that they
 * stay within ten times the base either way: r = min(2, 10^(1/⌈missing/2⌉)) — each on the next of
 * the grid's combinations in turn; a grid with more is
 * cut to a subsample of the budget's size, drawn with a {@link Random} seeded with the method's
 * name (so a method has the same candidates in every cell and run), kept in grid order.
 */
final class TuneGrid {
    /** The {@code tune} key whose grid applies to every method. */
    static final String ALL = "all";
    /** Grid keys that set the optimizer; any other key sets the resampler if it has that parameter, else the loss. */
    static final Set<String> OPTIMIZER_PARAMS = Set.of("lr", "weight_decay", "momentum");
    /** The learning-rate key, the one budget padding varies. */
    static final String LR = "lr";
    /** Ratio between successive padding learning rates, at most. */
    static final double LR_STEP = 2;
    /** How far padding learning rates reach from the configured one, either way (unless the grid's own rates are in the way). */
    static final double LR_SPAN = 10;

    private TuneGrid() {
    }

    /** The grid of {@code method}: {@code tune.all}'s lists, then the method's own, replacing {@code all}'s for the same key. */
    static Map<String, List<TuneValue>> grid(Map<String, Map<String, List<TuneValue>>> tune, String method) {
        Map<String, List<TuneValue>> out = new LinkedHashMap<>(tune.getOrDefault(ALL, Map.of()));
        out.putAll(tune.getOrDefault(method, Map.of()));
        return out;
    }

    /** Number of combinations of {@code grid}, saturating at {@link Integer#MAX_VALUE}. */
    static int size(Map<String, List<TuneValue>> grid) {
        long n = 1;
        for (List<TuneValue> values : grid.values()) {
            n = Math.min(Integer.MAX_VALUE, n * values.size());
        }
        return (int) n;
    }

    /** Every combination of the grid's values (cartesian product, in declaration order); one empty one for no grid. */
    static List<Map<String, TuneValue>> combinations(Map<String, List<TuneValue>> grid) {
        List<Map<String, TuneValue>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<TuneValue>> e : grid.entrySet()) {
            List<Map<String, TuneValue>> next = new ArrayList<>();
            for (Map<String, TuneValue> partial : out) {
                for (TuneValue v : e.getValue()) {
                    Map<String, TuneValue> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /**
     * The {@code budget} candidates of a method whose grid has {@code combinations} and whose
     * configured learning rate is {@code baseLr} (see the class comment). When padding, every
     * candidate sets {@code lr}: the grid's combinations without one get {@code baseLr}.
     */
    static List<Map<String, TuneValue>> candidates(String method, List<Map<String, TuneValue>> combinations, int budget,
                                                   double baseLr) {
        if (combinations.size() > budget) {
            return subsample(method, combinations, budget);
        }
        List<Map<String, TuneValue>> out = new ArrayList<>();
        List<Double> tried = new ArrayList<>();
        for (Map<String, TuneValue> c : combinations) {
            Map<String, TuneValue> m = new LinkedHashMap<>(c);
            if (combinations.size() < budget) {
                m.putIfAbsent(LR, new TuneValue(plain(baseLr)));
                tried.add(m.get(LR).number());
            }
            out.add(m);
        }
        if (out.size() < budget && !(baseLr > 0)) {
            throw new IllegalArgumentException("method '" + method + "' needs " + (budget - out.size())
                    + " more candidate(s), spread around its learning rate, but its optimizer's lr is " + baseLr);
        }
        double ratio = Math.min(LR_STEP, Math.pow(LR_SPAN, 1 / Math.ceil((budget - out.size()) / 2.0)));
        for (int step = 1, next = 0; out.size() < budget; step++) {
            for (double lr : new double[] {round(baseLr * Math.pow(ratio, step)), round(baseLr / Math.pow(ratio, step))}) {
                if (out.size() < budget && tried.stream().noneMatch(t -> Math.abs(t - lr) <= 1e-9 * lr)) {
                    Map<String, TuneValue> m = new LinkedHashMap<>(combinations.get(next++ % combinations.size()));
                    m.put(LR, new TuneValue(plain(lr)));
                    out.add(m);
                    tried.add(lr);
                }
            }
        }
        return out;
    }

    private static List<Map<String, TuneValue>> subsample(String method, List<Map<String, TuneValue>> combinations,
                                                          int budget) {
        int[] order = new int[combinations.size()];
        Arrays.setAll(order, i -> i);
        Random random = new Random(method.hashCode());
        for (int i = 0; i < budget; i++) { // the first `budget` steps of a Fisher–Yates shuffle
            int j = i + random.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] kept = Arrays.copyOf(order, budget);
        Arrays.sort(kept);
        List<Map<String, TuneValue>> out = new ArrayList<>();
        for (int i : kept) {
            out.add(combinations.get(i));
        }
        return out;
    }

    /** Which spec of {@code m} a grid key sets: {@code optimizer}, {@code resampler} or {@code loss}. */
    static String target(Method m, String key) {
        if (OPTIMIZER_PARAMS.contains(key)) {
            return "optimizer";
        }
        return m.resampler() != null && ResampleMethod.hasSpecParam(m.resampler(), key) ? "resampler" : "loss";
    }

    /**
     * {@code m} with a candidate's values set in its loss, resampler and optimizer specs; the
     * optimizer is the method's own or, when it has none, {@code experimentOptimizer}.
     */
    static Method apply(Method m, String experimentOptimizer, Map<String, TuneValue> values) {
        Map<String, Map<String, TuneValue>> byTarget = new LinkedHashMap<>();
        values.forEach((k, v) -> byTarget.computeIfAbsent(target(m, k), t -> new LinkedHashMap<>()).put(k, v));
        String optimizer = m.optimizer() == null ? experimentOptimizer : m.optimizer();
        return new Method(m.name(),
                byTarget.containsKey("resampler") ? withParams(m.resampler(), byTarget.get("resampler")) : m.resampler(),
                byTarget.containsKey("loss") ? withParams(m.loss(), byTarget.get("loss")) : m.loss(),
                m.sampler(), m.stage2(), m.model(),
                byTarget.containsKey("optimizer") ? withParams(optimizer, byTarget.get("optimizer")) : m.optimizer());
    }

    /** {@code spec} with {@code params} set, as written (replacing values the spec already has). */
    static String withParams(String spec, Map<String, TuneValue> params) {
        Spec s = Spec.parse(spec);
        Map<String, String> merged = new LinkedHashMap<>(s.params());
        params.forEach((k, v) -> merged.put(k, v.text()));
        if (merged.isEmpty()) {
            return s.name();
        }
        StringBuilder sb = new StringBuilder(s.name()).append('(');
        merged.forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        sb.setLength(sb.length() - 1);
        return sb.append(')').toString();
    }

    /** A number as plain decimal text, without exponent or trailing zeros: 0.00025, 0.05, 2. */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Three significant digits: padding rates stay short (0.0129, not 0.012915496650148827). */
    private static double round(double v) {
        return new BigDecimal(v).round(new MathContext(3)).doubleValue();
    }
}
