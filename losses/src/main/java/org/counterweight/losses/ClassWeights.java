package org.counterweight.losses;

import java.util.Arrays;
import org.counterweight.spec.Spec;
import org.counterweight.spec.SpecException;

/**
 * Resolves a class-weight parameter of a loss spec, {@code <param>=1|inverse|effective|<K values>}
 * (METHODS §3, FAL's class weights α; written for any loss with per-class weights):
 * <ul>
 *   <li>{@code 1}: no weights (null, i.e. all ones);</li>
 *   <li>{@code inverse}: w_k ∝ 1/n_k ({@link ClassProfile#inverseWeights});</li>
 *   <li>{@code effective}: w_k ∝ (1 − β)/(1 − β^{n_k}), the inverse effective number of samples
 *       of Cui et al. (CVPR 2019) ({@link ClassProfile#classBalancedWeights}), β from its own
 *       parameter (default 0.9999), allowed only with {@code effective};</li>
 *   <li>K finite values ≥ 0, not all zero: relative weights.</li>
 * </ul>
 * Every form is normalised to sum K (w_k ← K · w_k / Σ_j w_j), so a balanced data set and
 * {@code 1} give all ones. n_k are the class counts the loss was built with: the training rows
 * the network trains on.
 */
final class ClassWeights {
    /** Default β of {@code effective} (Cui et al. 2019). */
    static final double EFFECTIVE_BETA = 0.9999;

    private ClassWeights() {
    }

    /**
     * The weights {@code param} asks for ({@code defaultValue} when absent), or null for
     * {@code 1}; {@code betaParam} names the β of {@code effective}.
     *
     * @throws SpecException naming the parameter for anything else, a list of the wrong length,
     *                       negative or non-finite values, all zeros, or β without {@code effective}
     */
    static double[] resolve(Spec s, String param, String betaParam, String defaultValue, ClassProfile profile) {
        String v = s.getString(param, defaultValue).strip();
        if (!v.equalsIgnoreCase("effective") && s.has(betaParam)) {
            throw new SpecException(s.name() + ": " + betaParam + " applies only to " + param + "=effective");
        }
        if (v.equalsIgnoreCase("inverse")) {
            return profile.inverseWeights();
        }
        if (v.equalsIgnoreCase("effective")) {
            double beta = s.getDouble(betaParam, EFFECTIVE_BETA, b -> b >= 0 && b < 1, "in [0, 1)");
            return profile.classBalancedWeights(beta);
        }
        int k = profile.numClasses();
        String rule = s.name() + ": " + param + "=" + v + " must be 1, inverse, effective or " + k
                + " comma-separated finite values >= 0, not all zero";
        double[] w;
        try {
            w = Arrays.stream(v.split(",", -1)).mapToDouble(x -> Double.parseDouble(x.strip())).toArray();
        } catch (NumberFormatException e) {
            throw new SpecException(rule);
        }
        if (w.length == 1 && w[0] == 1) {
            return null;
        }
        if (w.length != k || Arrays.stream(w).anyMatch(x -> !(x >= 0) || Double.isInfinite(x))
                || Arrays.stream(w).allMatch(x -> x == 0)) {
            throw new SpecException(rule + (w.length != k ? " (got " + w.length + ")" : ""));
        }
        return ClassProfile.normaliseToSumK(w);
    }
}
