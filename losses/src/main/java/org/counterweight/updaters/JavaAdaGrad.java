package org.counterweight.updaters;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.AdaGradUpdater;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * AdaGrad (Duchi, Hazan &amp; Singer 2011, diagonal form) computed in Java; configuration,
 * defaults, state layout and arithmetic of DL4J 1.0.0-M2's {@link AdaGrad}.
 *
 * <p>Per parameter, at rate α_t: h ← h + g²; update = α_t·g / (√h + ε). State view: [h], as long
 * as the gradient. DL4J starts h at 1e-6 ({@code AdaGrad.DEFAULT_ADAGRAD_EPSILON}) whatever the
 * configured ε (its updater initialises the view from its own constant), and so does this class.
 * Defaults: rate 0.1, ε 1e-6.
 */
public final class JavaAdaGrad extends JavaUpdaterConfig {
    private static final long serialVersionUID = 1L;
    private static final List<String> STATE = List.of(AdaGradUpdater.GRAD_STATE);

    /** DL4J's defaults. */
    public JavaAdaGrad() {
        this(AdaGrad.DEFAULT_ADAGRAD_LEARNING_RATE);
    }

    /** Fixed rate, DL4J's default epsilon. */
    public JavaAdaGrad(double learningRate) {
        this(learningRate, null, AdaGrad.DEFAULT_ADAGRAD_EPSILON);
    }

    /** Scheduled rate, DL4J's default epsilon. */
    public JavaAdaGrad(ISchedule learningRateSchedule) {
        this(Double.NaN, learningRateSchedule, AdaGrad.DEFAULT_ADAGRAD_EPSILON);
    }

    /** Fixed rate and epsilon, as DL4J's {@code AdaGrad(lr, epsilon)}. */
    public JavaAdaGrad(double learningRate, double epsilon) {
        this(learningRate, null, epsilon);
    }

    /** Everything; the JSON creator. */
    @JsonCreator
    public JavaAdaGrad(@JsonProperty("learningRate") double learningRate,
                       @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                       @JsonProperty("epsilon") double epsilon) {
        super(learningRate, learningRateSchedule, epsilon);
    }

    @Override
    List<String> stateKeys() {
        return STATE;
    }

    @Override
    double initialState() {
        return AdaGrad.DEFAULT_ADAGRAD_EPSILON;
    }

    @Override
    Map<String, Double> extraHyperParameters() {
        return Map.of();
    }

    /** libnd4j's expressions (helpers/cpu/updaterAdaGrad.cpp) in the array type, as in {@link JavaAdam}. */
    @Override
    Rule rule(double lr, int iteration, DataType t) {
        double rate = round(lr, t);
        double eps = round(epsilon, t);
        return new Rule() {
            @Override
            public void apply(float[] g, float[][] state, int n) {
                float[] h = state[0];
                float fRate = (float) rate;
                float fEps = (float) eps;
                for (int i = 0; i < n; i++) {
                    float gi = g[i];
                    float hi = h[i] + gi * gi;
                    h[i] = hi;
                    g[i] = fRate * gi / ((float) Math.sqrt(hi) + fEps);
                }
            }

            @Override
            public void apply(double[] g, double[][] state, int n) {
                double[] h = state[0];
                for (int i = 0; i < n; i++) {
                    double gi = g[i];
                    double hi = h[i] + gi * gi;
                    h[i] = hi;
                    g[i] = rate * gi / (Math.sqrt(hi) + eps);
                }
            }
        };
    }

    @Override
    public IUpdater toDl4j() {
        return learningRateSchedule == null ? new AdaGrad(learningRate, epsilon)
                : new AdaGrad(learningRateSchedule.clone(), epsilon);
    }

    @Override
    public JavaAdaGrad clone() {
        return new JavaAdaGrad(learningRate, scheduleCopy(), epsilon);
    }
}
