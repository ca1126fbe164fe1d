package org.counterweight.updaters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1, in the "efficient" form of their §2) computed in Java;
 * configuration, defaults, state layout and arithmetic of DL4J 1.0.0-M2's {@link Adam}.
 *
 * <p>Per parameter, at DL4J iteration t (0-based, so Adam's step is t + 1), rate α_t:
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * â = α_t·√(1−β2^{t+1}) / (1−β1^{t+1}) (replaced by ε when it is NaN, 0 or infinite, as libnd4j
 * does: with rate 0 the parameters still move by about ε·m/√v);
 * update = m·â / (√v + ε), which DL4J subtracts from the parameters. State view: [m | v], each
 * as long as the gradient, starting at 0. Defaults: rate 1e-3, β1 0.9, β2 0.999, ε 1e-8.
 */
public final class JavaAdam extends JavaUpdaterConfig {
    private static final long serialVersionUID = 1L;
    private static final List<String> STATE = List.of(AdamUpdater.M_STATE, AdamUpdater.V_STATE);

    private final double beta1;
    private final double beta2;

    /** DL4J's defaults. */
    public JavaAdam() {
        this(Adam.DEFAULT_ADAM_LEARNING_RATE);
    }

    /** Fixed rate, other hyper-parameters DL4J's defaults. */
    public JavaAdam(double learningRate) {
        this(learningRate, null, Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY, Adam.DEFAULT_ADAM_BETA2_VAR_DECAY,
                Adam.DEFAULT_ADAM_EPSILON);
    }

    /** Scheduled rate, other hyper-parameters DL4J's defaults. */
    public JavaAdam(ISchedule learningRateSchedule) {
        this(Double.NaN, learningRateSchedule, Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY, Adam.DEFAULT_ADAM_BETA2_VAR_DECAY,
                Adam.DEFAULT_ADAM_EPSILON);
    }

    /** Fixed rate and all hyper-parameters, in the order of DL4J's {@code Adam(lr, beta1, beta2, epsilon)}. */
    public JavaAdam(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate, null, beta1, beta2, epsilon);
    }

    /** Everything; the JSON creator. */
    @JsonCreator
    public JavaAdam(@JsonProperty("learningRate") double learningRate,
                    @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                    @JsonProperty("beta1") double beta1, @JsonProperty("beta2") double beta2,
                    @JsonProperty("epsilon") double epsilon) {
        super(learningRate, learningRateSchedule, epsilon);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("JavaAdam: beta1=" + beta1 + ", beta2=" + beta2 + " must be in [0, 1)");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    /** Decay of the first-moment average. */
    public double getBeta1() {
        return beta1;
    }

    /** Decay of the second-moment average. */
    public double getBeta2() {
        return beta2;
    }

    @Override
    List<String> stateKeys() {
        return STATE;
    }

    @Override
    double initialState() {
        return 0.0;
    }

    @Override
    Map<String, Double> extraHyperParameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        return m;
    }

    /**
     * libnd4j's expressions in their order (helpers/cpu/updaterAdam.cpp), in the array type: for
     * float arrays the same float operations, so the same bits as DL4J's native op.
     */
    @Override
    Rule rule(double lr, int iteration, DataType t) {
        double b1 = round(beta1, t);
        double b2 = round(beta2, t);
        double eps = round(epsilon, t);
        double b1t = round(Math.pow(b1, iteration + 1.0), t);
        double b2t = round(Math.pow(b2, iteration + 1.0), t);
        double alpha = round(round(round(lr, t) * round(Math.sqrt(round(1 - b2t, t)), t), t) / (1 - b1t), t);
        double step = Double.isNaN(alpha) || alpha == 0 || Double.isInfinite(alpha) ? eps : alpha;
        double c1 = round(1 - b1, t);
        double c2 = round(1 - b2, t);
        return new Rule() {
            @Override
            public void apply(float[] g, float[][] state, int n) {
                float[] m = state[0];
                float[] v = state[1];
                float fb1 = (float) b1;
                float fb2 = (float) b2;
                float fc1 = (float) c1;
                float fc2 = (float) c2;
                float fStep = (float) step;
                float fEps = (float) eps;
                for (int i = 0; i < n; i++) {
                    float gi = g[i];
                    float mi = fb1 * m[i] + gi * fc1;
                    float vi = fb2 * v[i] + gi * gi * fc2;
                    m[i] = mi;
                    v[i] = vi;
                    g[i] = mi * fStep / ((float) Math.sqrt(vi) + fEps);
                }
            }

            @Override
            public void apply(double[] g, double[][] state, int n) {
                double[] m = state[0];
                double[] v = state[1];
                for (int i = 0; i < n; i++) {
                    double gi = g[i];
                    double mi = b1 * m[i] + gi * c1;
                    double vi = b2 * v[i] + gi * gi * c2;
                    m[i] = mi;
                    v[i] = vi;
                    g[i] = mi * step / (Math.sqrt(vi) + eps);
                }
            }
        };
    }

    @Override
    public IUpdater toDl4j() {
        if (learningRateSchedule == null) {
            return new Adam(learningRate, beta1, beta2, epsilon);
        }
        Adam adam = new Adam(learningRateSchedule.clone());
        adam.setBeta1(beta1);
        adam.setBeta2(beta2);
        adam.setEpsilon(epsilon);
        return adam;
    }

    @Override
    public JavaAdam clone() {
        return new JavaAdam(learningRate, scheduleCopy(), beta1, beta2, epsilon);
    }
}
