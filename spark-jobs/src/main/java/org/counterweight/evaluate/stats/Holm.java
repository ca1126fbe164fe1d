package org.counterweight.evaluate.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down correction of a family of m p-values (Holm 1979, "A simple sequentially
 * rejective multiple test procedure", Scand. J. Statist. 6; Demšar 2006, §3.2.2, for comparisons
 * with a baseline). With p₍₁₎ ≤ … ≤ p₍ₘ₎ it rejects H₍₁₎, …, H₍ₖ₎ while p₍ⱼ₎ ≤ α / (m − j + 1),
 * stopping at the first that fails; the family-wise error rate is at most α under any dependence.
 * Adjusted p-values
 * <pre>  p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎)</pre>
 * are monotone in p and reject exactly the same hypotheses: H is rejected iff p̃ ≤ α. Equal p-values
 * get equal adjusted values.
 */
public final class Holm {

    /**
     * Result, in the order of the input p-values.
     *
     * @param adjusted Holm-adjusted p-values, capped at 1
     * @param rejected whether each hypothesis is rejected at {@code alpha} (adjusted ≤ alpha)
     * @param alpha    family-wise significance level
     */
    public record Result(double[] adjusted, boolean[] rejected, double alpha) {
    }

    private Holm() {
    }

    /** Corrects a family of p-values in [0, 1] (none NaN: leave untested hypotheses out of the family). */
    public static Result correct(double[] pValues, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        int m = pValues.length;
        for (int i = 0; i < m; i++) {
            if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
                throw new IllegalArgumentException("p-value " + i + " is not in [0, 1]: " + pValues[i]);
            }
        }
        Integer[] order = new Integer[m];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        boolean[] rejected = new boolean[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
            rejected[i] = running <= alpha;
        }
        return new Result(adjusted, rejected, alpha);
    }
}
