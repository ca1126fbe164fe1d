package org.counterweight.losses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.counterweight.spec.Spec;
import org.counterweight.spec.SpecException;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Entry point: turns a loss spec string into a DL4J {@link ILossFunction} (METHODS §2).
 *
 * <table>
 *   <caption>Specs and defaults</caption>
 *   <tr><th>spec</th><th>parameters (defaults)</th></tr>
 *   <tr><td>{@code ce}</td><td>—</td></tr>
 *   <tr><td>{@code weighted-ce}</td><td>{@code weights=inverse|cb} (inverse), {@code beta} (0.9999, cb only), {@code drw}, {@code normalize} (weights for cb, mean for inverse)</td></tr>
 *   <tr><td>{@code focal}</td><td>{@code gamma} (2), {@code alpha} (none; one value = binary α for class 1, or K values), {@code drw} and {@code normalize} (mean) with alpha</td></tr>
 *   <tr><td>{@code cb}</td><td>{@code beta} (0.9999), {@code base=ce|focal|sigmoid} (ce), {@code gamma} (1, focal only), {@code drw}, {@code normalize} (mean)</td></tr>
 *   <tr><td>{@code ldam}</td><td>{@code max_margin} (0.5), {@code scale} (30), {@code drw}, {@code beta} (0.9999) and {@code normalize} (weights) with drw</td></tr>
 *   <tr><td>{@code elm}</td><td>{@code max_margin} (0.5), {@code scale} (30), {@code lambda} (1), {@code drw}, {@code beta} and {@code normalize} (weights) with drw</td></tr>
 *   <tr><td>{@code mm}</td><td>{@code max_margin} (1.29), {@code gamma} (1.528), {@code scale} (19), {@code ldam} (false), {@code drw}, {@code beta} and {@code normalize} (weights) with drw</td></tr>
 *   <tr><td>{@code balanced-softmax}</td><td>—</td></tr>
 *   <tr><td>{@code logit-adjusted}</td><td>{@code tau} (1)</td></tr>
 *   <tr><td>{@code fnr-weighted-ce}</td><td>{@code alpha} (0.01)</td></tr>
 * </table>
 *
 * <p>{@code drw=E} (an epoch, 0-based) or {@code drw=auto} (⌊0.8 · total epochs⌋) defers the
 * class weights: all ones before that epoch, the loss's weights from it on. For {@code ldam},
 * {@code elm} and {@code mm}, which have no weights of their own, {@code drw} brings in the
 * class-balanced weights with {@code beta} (LDAM-DRW, Cao et al. 2019). The trainer advances the
 * epoch with {@link EpochAware#advance}.
 *
 * <p>{@code normalize=mean|weights} ({@link Normalization}) sets what a loss with class weights
 * divides the weighted sum of a minibatch by: the row count N, or Σ_i w_{y_i}. The defaults follow
 * the reference code of each recipe: {@code weights} for the LDAM-DRW recipes (Cao et al.'s
 * PyTorch code, {@code F.cross_entropy(weight=w)}: {@code ldam}, {@code elm} and {@code mm} with
 * {@code drw}, and {@code weighted-ce(weights=cb)}, their CE re-weighting baseline); {@code mean}
 * for {@code cb} (Cui et al.'s TensorFlow code divides the softmax, sigmoid and focal losses by
 * the row count), {@code focal} with {@code alpha} (Lin et al.) and
 * {@code weighted-ce(weights=inverse)}. The two differ by the per-minibatch factor Σw/N, a
 * learning-rate factor under SGD (about 1/5.8 for CIFAR-10-LT at ρ = 100, β = 0.9999).
 *
 * <p>Every logit loss also accepts {@code head=linear|cosine}, the output head that
 * {@link OutputLayers#create} builds (default cosine for ldam/elm/mm, linear otherwise); this
 * factory validates and otherwise ignores it. The anchor losses {@code fal}/{@code faml} are
 * output layers: use {@link OutputLayers#create}.
 */
public final class Losses {
    /** Parameters every logit loss accepts. */
    static final String HEAD = "head";
    /** The normalisation parameter of the losses with class weights. */
    static final String NORMALIZE = "normalize";

    private interface Factory {
        ILossFunction create(Spec spec, long[] classCounts);
    }

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("ce", Losses::ce);
        FACTORIES.put("weighted-ce", Losses::weightedCe);
        FACTORIES.put("focal", Losses::focal);
        FACTORIES.put("cb", Losses::classBalanced);
        FACTORIES.put("ldam", Losses::ldam);
        FACTORIES.put("elm", Losses::elm);
        FACTORIES.put("mm", Losses::maxMargin);
        FACTORIES.put("balanced-softmax", Losses::balancedSoftmax);
        FACTORIES.put("logit-adjusted", Losses::logitAdjusted);
        FACTORIES.put("fnr-weighted-ce", Losses::fnrWeighted);
    }

    private Losses() {
    }

    /**
     * Creates the loss for {@code spec}, e.g. {@code cb(beta=0.9999,base=focal,gamma=1)}.
     *
     * @param spec        a loss spec (see the class documentation for names, parameters, defaults)
     * @param classCounts training rows per class (index = class); may be null only for {@code ce}
     *                    and {@code focal} without {@code alpha}
     * @return a JSON-serialisable loss for an output layer with identity or softmax activation
     * @throws SpecException for an unknown name or parameter or an out-of-range value, listing
     *                       what is allowed
     */
    public static ILossFunction create(String spec, long[] classCounts) {
        Spec s = Spec.parse(spec);
        Factory f = FACTORIES.get(s.name());
        if (s.name().equals("fal") || s.name().equals("faml")) {
            throw new SpecException(s.name() + " is an output layer (it holds the anchors): use OutputLayers.create");
        }
        if (s.name().equals(OutputLayers.BBN)) {
            throw new SpecException("bbn is BBN's classifier on two branches: use OutputLayers.create with a BilateralBranchLayer below it");
        }
        if (f == null) {
            List<String> known = new ArrayList<>(FACTORIES.keySet());
            throw s.unknownName("loss", known);
        }
        return f.create(s, classCounts);
    }

    /** The loss names {@link #create} accepts. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /** The head a loss spec asks for: {@code linear} or {@code cosine}. */
    static String head(Spec s) {
        boolean margin = s.name().equals("ldam") || s.name().equals("elm") || s.name().equals("mm");
        return s.getChoice(HEAD, margin ? "cosine" : "linear", "linear", "cosine");
    }

    private static ILossFunction ce(Spec s, long[] counts) {
        s.requireOnly(HEAD);
        head(s);
        checkCountsIfGiven(s, counts);
        return new SoftmaxLoss();
    }

    private static ILossFunction weightedCe(Spec s, long[] counts) {
        s.requireOnly("weights", "beta", "drw", NORMALIZE, HEAD);
        head(s);
        ClassProfile p = profile(s, counts);
        String kind = s.getChoice("weights", "inverse", "inverse", "cb");
        if (kind.equals("inverse") && s.has("beta")) {
            throw new SpecException(s.name() + ": beta applies only to weights=cb");
        }
        double[] w = kind.equals("inverse") ? p.inverseWeights() : p.classBalancedWeights(beta(s));
        Drw drw = drw(s);
        // weights=cb is Cao et al.'s CE re-weighting baseline (torch F.cross_entropy(weight=w)).
        Normalization norm = normalization(s, kind.equals("cb") ? Normalization.WEIGHTS : Normalization.MEAN);
        return new SoftmaxLoss(w, 0, null, 1, drw.epoch, drw.auto, norm);
    }

    private static ILossFunction focal(Spec s, long[] counts) {
        s.requireOnly("gamma", "alpha", "drw", NORMALIZE, HEAD);
        head(s);
        double gamma = s.getDouble("gamma", 2.0, g -> g >= 0, ">= 0");
        double[] alpha = null;
        if (s.has("alpha")) {
            ClassProfile p = profile(s, counts);
            alpha = alphaWeights(s, p.numClasses());
        } else {
            checkCountsIfGiven(s, counts);
            for (String needsWeights : List.of("drw", NORMALIZE)) {
                if (s.has(needsWeights)) {
                    throw new SpecException(s.name() + ": " + needsWeights + " needs class weights (give alpha)");
                }
            }
        }
        Drw drw = drw(s);
        // Lin et al. normalise by a count (anchors assigned to objects), not by Σα.
        Normalization norm = alpha == null ? Normalization.MEAN : normalization(s, Normalization.MEAN);
        return new SoftmaxLoss(alpha, gamma, null, 1, drw.epoch, drw.auto, norm);
    }

    /** α_y: binary α for class 1 and 1 − α for class 0, or one value per class (Lin et al. 2017). */
    static double[] alphaWeights(Spec s, int k) {
        double[] a = s.getDoubleList("alpha");
        for (double v : a) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new SpecException(s.name() + ": alpha=" + s.getString("alpha", "") + " must hold finite values >= 0");
            }
        }
        if (a.length == 1) {
            if (k != 2) {
                throw new SpecException(s.name() + ": a single alpha is the binary form (α for class 1); for " + k
                        + " classes give " + k + " values, e.g. alpha=" + "1,".repeat(k - 1) + "1");
            }
            if (a[0] > 1) {
                throw new SpecException(s.name() + ": alpha=" + a[0] + " is out of range (must be in [0, 1] for the binary form)");
            }
            return new double[] {1 - a[0], a[0]};
        }
        if (a.length != k) {
            throw new SpecException(s.name() + ": alpha has " + a.length + " values for " + k + " classes");
        }
        return a;
    }

    private static ILossFunction classBalanced(Spec s, long[] counts) {
        s.requireOnly("beta", "base", "gamma", "drw", NORMALIZE, HEAD);
        head(s);
        ClassProfile p = profile(s, counts);
        double[] w = p.classBalancedWeights(beta(s));
        String base = s.getChoice("base", "ce", "ce", "focal", "sigmoid");
        if (!base.equals("focal") && s.has("gamma")) {
            throw new SpecException(s.name() + ": gamma applies only to base=focal");
        }
        Drw drw = drw(s);
        // Cui et al.'s code divides every base loss by the row count (METHODS §2).
        Normalization norm = normalization(s, Normalization.MEAN);
        if (base.equals("sigmoid")) {
            return new ClassBalancedSigmoidLoss(w, drw.epoch, drw.auto, norm);
        }
        double gamma = base.equals("focal") ? s.getDouble("gamma", 1.0, g -> g >= 0, ">= 0") : 0;
        return new SoftmaxLoss(w, gamma, null, 1, drw.epoch, drw.auto, norm);
    }

    private static ILossFunction ldam(Spec s, long[] counts) {
        s.requireOnly("max_margin", "scale", "drw", "beta", NORMALIZE, HEAD);
        head(s);
        ClassProfile p = profile(s, counts);
        Drw drw = drw(s);
        return new LdamLoss(p.ldamMargins(maxMargin(s, 0.5)), scale(s, 30), drwWeights(s, p, drw), drw.epoch, drw.auto,
                drwNormalization(s, drw));
    }

    private static ILossFunction elm(Spec s, long[] counts) {
        s.requireOnly("max_margin", "scale", "lambda", "drw", "beta", NORMALIZE, HEAD);
        head(s);
        ClassProfile p = profile(s, counts);
        Drw drw = drw(s);
        double lambda = s.getDouble("lambda", 1.0, l -> true, "a finite number");
        return new ElmLoss(p.ldamMargins(maxMargin(s, 0.5)), scale(s, 30), lambda, drwWeights(s, p, drw),
                drw.epoch, drw.auto, drwNormalization(s, drw));
    }

    private static ILossFunction maxMargin(Spec s, long[] counts) {
        s.requireOnly("max_margin", "gamma", "scale", "ldam", "drw", "beta", NORMALIZE, HEAD);
        head(s);
        ClassProfile p = profile(s, counts);
        Drw drw = drw(s);
        double m = maxMargin(s, 1.29);
        double gamma = s.getDouble("gamma", 1.528, g -> true, "a finite number");
        double[] classMargins = new double[p.numClasses()];
        double[] delta = s.getBoolean("ldam", false) ? p.ldamMargins(m) : new double[p.numClasses()];
        for (int k = 0; k < classMargins.length; k++) {
            classMargins[k] = m - delta[k];
        }
        return new MaxMarginLoss(classMargins, gamma, scale(s, 19), drwWeights(s, p, drw), drw.epoch, drw.auto,
                drwNormalization(s, drw));
    }

    private static ILossFunction balancedSoftmax(Spec s, long[] counts) {
        s.requireOnly(HEAD);
        head(s);
        return new SoftmaxLoss(null, 0, profile(s, counts).logCounts(), 1, -1, false);
    }

    private static ILossFunction logitAdjusted(Spec s, long[] counts) {
        s.requireOnly("tau", HEAD);
        head(s);
        double tau = s.getDouble("tau", 1.0, t -> t >= 0, ">= 0");
        double[] shift = profile(s, counts).logPriors();
        for (int k = 0; k < shift.length; k++) {
            shift[k] *= tau;
        }
        return new SoftmaxLoss(null, 0, shift, 1, -1, false);
    }

    private static ILossFunction fnrWeighted(Spec s, long[] counts) {
        s.requireOnly("alpha", HEAD);
        head(s);
        double alpha = s.getDouble("alpha", 0.01, a -> a > 0 && a <= 1, "in (0, 1]");
        return new FnrWeightedLoss(alpha, profile(s, counts).numClasses());
    }

    static ClassProfile profile(Spec s, long[] counts) {
        try {
            return ClassProfile.of(counts);
        } catch (IllegalArgumentException e) {
            throw new SpecException(s.name() + ": " + e.getMessage());
        }
    }

    private static void checkCountsIfGiven(Spec s, long[] counts) {
        if (counts != null) {
            profile(s, counts);
        }
    }

    static double beta(Spec s) {
        return s.getDouble("beta", 0.9999, b -> b >= 0 && b < 1, "in [0, 1)");
    }

    private static double maxMargin(Spec s, double def) {
        return s.getDouble("max_margin", def, m -> m >= 0, ">= 0");
    }

    static double scale(Spec s, double def) {
        return s.getDouble("scale", def, v -> v > 0, "> 0");
    }

    /** The parsed {@code drw} parameter. */
    private static final class Drw {
        final int epoch;
        final boolean auto;

        Drw(int epoch, boolean auto) {
            this.epoch = epoch;
            this.auto = auto;
        }

        /** True when the spec has a {@code drw} schedule. */
        boolean on() {
            return epoch >= 0 || auto;
        }
    }

    private static Drw drw(Spec s) {
        if (!s.has("drw")) {
            return new Drw(-1, false);
        }
        if (s.getString("drw", "").equalsIgnoreCase("auto")) {
            return new Drw(-1, true);
        }
        try {
            return new Drw(s.getInt("drw", -1, 0, Integer.MAX_VALUE), false);
        } catch (SpecException e) {
            throw new SpecException(s.name() + ": drw=" + s.getString("drw", "")
                    + " must be an epoch (integer >= 0) or auto");
        }
    }

    /** Class-balanced weights for a margin loss under DRW; null (and no beta) without DRW. */
    private static double[] drwWeights(Spec s, ClassProfile p, Drw drw) {
        if (!drw.on()) {
            for (String needsDrw : List.of("beta", NORMALIZE)) {
                if (s.has(needsDrw)) {
                    throw new SpecException(s.name() + ": " + needsDrw
                            + " applies only with drw (deferred class-balanced weights)");
                }
            }
            return null;
        }
        return p.classBalancedWeights(beta(s));
    }

    /**
     * The normalisation of a margin loss: {@code weights} by default under DRW, as the authors'
     * code of LDAM-DRW, ELM and MM calls {@code F.cross_entropy(…, weight=w)} (METHODS §2);
     * without DRW there are no weights and nothing to choose ({@link #drwWeights} rejects it).
     */
    private static Normalization drwNormalization(Spec s, Drw drw) {
        return drw.on() ? normalization(s, Normalization.WEIGHTS) : Normalization.MEAN;
    }

    /** The {@code normalize=mean|weights} parameter of a loss with class weights; {@code def} when absent. */
    private static Normalization normalization(Spec s, Normalization def) {
        return Normalization.ofSpecValue(s.getChoice(NORMALIZE, def.specValue(),
                Normalization.MEAN.specValue(), Normalization.WEIGHTS.specValue()));
    }
}
