package org.counterweight.losses;

import java.util.ArrayList;
import java.util.List;
import org.counterweight.losses.layers.AnchorOutputLayer;
import org.counterweight.losses.layers.CosineOutputLayer;
import org.counterweight.spec.Spec;
import org.counterweight.spec.SpecException;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Entry point: turns a loss spec into a ready DL4J output layer configuration, with the right
 * head, loss and inference activation. Add the result as the last layer of a
 * {@code MultiLayerConfiguration}; {@code net.output(x)} then gives class probabilities.
 *
 * <ul>
 *   <li>Logit losses (every name of {@link Losses}): a dense layer ({@code head=linear}) or a
 *       {@link CosineOutputLayer} ({@code head=cosine}, the default for ldam/elm/mm). Inference
 *       activation softmax(z), or softmax(s · z) ({@link ScaledSoftmax}) for losses with a scale s.
 *       Balanced Softmax and logit adjustment shift the logits only in training, so their
 *       predictions are softmax of the plain logits, as the papers prescribe.</li>
 *   <li>{@code fal(gamma=2,alpha=inverse,cb_beta=0.9999,margin=1.0,beta=0.1,pull=class-mean)}:
 *       {@link AnchorOutputLayer} with anchors trained by gradient (METHODS §3). {@code alpha} is
 *       the focal α_t of the classification part: {@code 1} (none), {@code inverse} (∝ 1/n_k),
 *       {@code effective} (∝ (1 − cb_beta)/(1 − cb_beta^{n_k}), Cui et al. 2019; {@code cb_beta}
 *       only with it) or K values, always normalised to sum K, from the class counts given here
 *       (the rows the network trains on). {@code beta} weighs the pull-to-anchor term, normalised
 *       per {@code pull}: {@code class-mean} (mean over the classes present of each class's mean
 *       ‖h − φ_y‖²) or {@code row-mean} (L-GM's mean_i ½‖h_i − φ_{y_i}‖²).</li>
 *   <li>{@code faml(...,r=1.3,lambda=0.999,lambda_schedule=constant)} and optionally {@code n}:
 *       the same loss and parameters, anchors moved towards the r-geometric mean of the recent
 *       class updates (one update per class and minibatch); {@code n} omitted = at the end of
 *       every epoch (n = one epoch's steps; the trainer calls {@link EpochEnd#finish}),
 *       {@code n=<int>} = every n training steps. With {@code lambda_schedule=quadratic} λ decays as λ · (1 − epoch/epochs)²
 *       and {@code lambda} defaults to 0.9.</li>
 *   <li>{@code bbn}: the classifier of a Bilateral-Branch Network (Zhou et al. 2020, METHODS §4): a
 *       dense layer with {@link BilateralLoss}, the cumulative learning loss on the mixed features of
 *       a {@link org.counterweight.losses.layers.BilateralBranchLayer}, which must be the layer
 *       below it (nIn = both branches' width); softmax(z) at inference.</li>
 * </ul>
 * The anchor layers' nIn is the embedding size (the last hidden layer's width, 8 in the paper's
 * 16-8 tabular network).
 */
public final class OutputLayers {
    /** The spec name of BBN's classifier ({@link #isBilateral}). */
    public static final String BBN = "bbn";

    private OutputLayers() {
    }

    /**
     * Creates the output layer for {@code lossSpec}.
     *
     * @param lossSpec    a loss spec of {@link Losses}, or {@code fal(...)}/{@code faml(...)}
     * @param nIn         width of the layer's input (the last hidden layer)
     * @param classCounts training rows per class; its length is the number of outputs K
     * @return the layer configuration (JSON-serialisable, Spark-safe)
     * @throws SpecException for unknown names/parameters or out-of-range values, listing what is allowed
     */
    public static BaseOutputLayer create(String lossSpec, int nIn, long[] classCounts) {
        if (nIn <= 0) {
            throw new IllegalArgumentException("output layer nIn=" + nIn + " must be > 0");
        }
        Spec s = Spec.parse(lossSpec);
        if (classCounts == null) {
            throw new SpecException(s.name() + ": class counts are required to size the output layer");
        }
        ClassProfile profile = Losses.profile(s, classCounts);
        int k = profile.numClasses();
        if (s.name().equals("fal") || s.name().equals("faml")) {
            return anchorLayer(s, nIn, profile);
        }
        if (s.name().equals(BBN)) {
            s.requireOnly();
            return new OutputLayer.Builder(new BilateralLoss()).nIn(nIn).nOut(k).activation(new ActivationSoftmax()).build();
        }
        if (!Losses.names().contains(s.name())) {
            List<String> known = new ArrayList<>(Losses.names());
            known.add("fal");
            known.add("faml");
            known.add(BBN);
            throw s.unknownName("loss", known);
        }
        ILossFunction loss = Losses.create(lossSpec, classCounts);
        IActivation activation = new ActivationSoftmax();
        if (loss instanceof SoftmaxLoss && ((SoftmaxLoss) loss).getScale() != 1) {
            activation = new ScaledSoftmax(((SoftmaxLoss) loss).getScale());
        }
        if (Losses.head(s).equals("cosine")) {
            return new CosineOutputLayer.Builder(loss).nIn(nIn).nOut(k).activation(activation).build();
        }
        return new OutputLayer.Builder(loss).nIn(nIn).nOut(k).activation(activation).build();
    }

    /**
     * True when {@code lossSpec} is {@code bbn}: its network needs a
     * {@link org.counterweight.losses.layers.BilateralBranchLayer} below the output layer and
     * minibatches of paired rows (see {@link BilateralLoss}).
     */
    public static boolean isBilateral(String lossSpec) {
        return lossSpec != null && Spec.parse(lossSpec).name().equals(BBN);
    }

    private static AnchorOutputLayer anchorLayer(Spec s, int nIn, ClassProfile profile) {
        boolean faml = s.name().equals("faml");
        List<String> allowed = new ArrayList<>(List.of("gamma", "alpha", "cb_beta", "margin", "beta", "pull"));
        if (faml) {
            allowed.addAll(List.of("r", "lambda", "n", "lambda_schedule"));
        }
        s.requireOnly(allowed);
        double gamma = s.getDouble("gamma", 2.0, g -> g >= 0, ">= 0");
        double[] alpha = ClassWeights.resolve(s, "alpha", "cb_beta", "inverse", profile);
        double margin = s.getDouble("margin", 1.0, m -> m >= 0, ">= 0");
        double beta = s.getDouble("beta", 0.1, b -> b >= 0, ">= 0");
        AnchorLoss.Pull pull = s.getChoice("pull", "class-mean", "class-mean", "row-mean").equals("class-mean")
                ? AnchorLoss.Pull.CLASS_MEAN : AnchorLoss.Pull.ROW_MEAN;
        AnchorOutputLayer.Builder b = new AnchorOutputLayer.Builder(new AnchorLoss(alpha, gamma, margin, beta, pull));
        if (faml) {
            String schedule = s.getChoice("lambda_schedule", "constant", "constant", "quadratic");
            double lambda = s.getDouble("lambda", schedule.equals("constant") ? 0.999 : 0.9,
                    l -> l >= 0 && l <= 1, "in [0, 1]");
            int n = s.has("n") ? s.getInt("n", 1, 1, Integer.MAX_VALUE) : AnchorOutputLayer.EVERY_EPOCH;
            b.faml(s.getDouble("r", 1.3, r -> r > 0, "> 0"), lambda, n,
                    schedule.equals("constant") ? AnchorOutputLayer.LambdaSchedule.CONSTANT
                            : AnchorOutputLayer.LambdaSchedule.QUADRATIC);
        }
        return b.nIn(nIn).nOut(profile.numClasses()).activation(new ActivationSoftmax()).build();
    }
}
