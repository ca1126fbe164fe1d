package org.counterweight.updaters;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What {@link JavaAdam} and {@link JavaAdaGrad} share: a learning rate or learning-rate
 * {@link ISchedule} (as in DL4J: with a schedule the fixed rate is {@code NaN} and the schedule
 * gives the rate of each iteration/epoch), an epsilon, a state of {@link #stateKeys()} arrays of
 * one value per parameter lying one after the other in DL4J's state view, and an element-wise
 * {@link Rule} applied by {@link JavaGradientUpdater}.
 *
 * <p>JSON: DL4J serialises every {@code IUpdater} polymorphically by class name with its fields
 * (annotations on {@code IUpdater}: field visibility, {@code @class} property, nulls left out);
 * the subclasses' {@code @JsonCreator} constructors read the same fields back, so a network
 * configuration with these updaters survives {@code toJson}/{@code fromJson}, Spark broadcast and
 * model files.
 */
public abstract class JavaUpdaterConfig implements IUpdater {
    private static final long serialVersionUID = 1L;

    /** Fixed rate; {@code NaN} when {@link #learningRateSchedule} is set (DL4J's convention). */
    double learningRate;
    /** Rate per iteration/epoch, or null. */
    ISchedule learningRateSchedule;
    /** Added to the square-root denominator. */
    double epsilon;

    JavaUpdaterConfig(double learningRate, ISchedule learningRateSchedule, double epsilon) {
        if (learningRateSchedule == null && !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learningRate=" + learningRate
                    + " must be finite (or give a learningRateSchedule)");
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": epsilon=" + epsilon + " must be finite and >= 0");
        }
        this.learningRate = learningRateSchedule == null ? learningRate : Double.NaN;
        this.learningRateSchedule = learningRateSchedule;
        this.epsilon = epsilon;
    }

    /** Names of the state arrays ({@code GradientUpdater.getState()} keys), in state-view order. */
    abstract List<String> stateKeys();

    /** The value every state entry starts at. */
    abstract double initialState();

    /** Hyper-parameters beyond rate, schedule and epsilon, by name, for equals/hashCode/toString. */
    abstract Map<String, Double> extraHyperParameters();

    /**
     * The update rule of one iteration at learning rate {@code lr}. Scalars are rounded to the
     * arrays' data type first, as libnd4j's updater ops do (they compute in the array type).
     */
    abstract Rule rule(double lr, int iteration, DataType type);

    /** DL4J's own updater with the same hyper-parameters (used for arrays the Java loop does not handle). */
    public abstract IUpdater toDl4j();

    /**
     * One iteration's element-wise update over a chunk: {@code gradient[0..n)} holds the
     * gradient on entry and the update (what DL4J subtracts from the parameters) on return;
     * {@code state[j][0..n)} is the matching chunk of state array j, updated in place.
     *
     * <p>The same expressions once per primitive type: the float loop must do float arithmetic to
     * give libnd4j's bits and to run at float speed (the JIT vectorises it; widening to double
     * and back cost ~3 ns per parameter, as much as the native op saves), and Java has no
     * generics over primitives.
     */
    interface Rule {
        void apply(float[] gradient, float[][] state, int n);

        void apply(double[] gradient, double[][] state, int n);
    }

    /** {@code x} as the nearest value of {@code type} (float or double), back as a double. */
    static double round(double x, DataType type) {
        return type == DataType.FLOAT ? (double) (float) x : x;
    }

    @Override
    public long stateSize(long numParams) {
        return stateKeys().size() * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        long[] gradientShape = viewArray.shape().clone();
        if (gradientShape.length > 0) {
            gradientShape[gradientShape.length - 1] /= stateKeys().size();
        }
        JavaGradientUpdater<JavaUpdaterConfig> updater = new JavaGradientUpdater<>(this);
        updater.setStateViewArray(viewArray, gradientShape, viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        JavaGradientUpdater<JavaUpdaterConfig> updater = new JavaGradientUpdater<>(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    /** The fixed learning rate ({@code NaN} with a schedule). */
    public double getLearningRate() {
        return learningRate;
    }

    /** The learning-rate schedule, or null. */
    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    /** Epsilon of the denominator. */
    public double getEpsilon() {
        return epsilon;
    }

    @Override
    public abstract JavaUpdaterConfig clone();

    /** The schedule copied, as DL4J's configs copy theirs in {@code clone()}. */
    ISchedule scheduleCopy() {
        return learningRateSchedule == null ? null : learningRateSchedule.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        JavaUpdaterConfig other = (JavaUpdaterConfig) o;
        // Double.compare: NaN rates (schedule set) are equal, as with Lombok's equals in DL4J.
        return Double.compare(learningRate, other.learningRate) == 0 && Double.compare(epsilon, other.epsilon) == 0
                && Objects.equals(learningRateSchedule, other.learningRateSchedule)
                && extraHyperParameters().equals(other.extraHyperParameters());
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), learningRate, learningRateSchedule, epsilon, extraHyperParameters());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(getClass().getSimpleName()).append("(learningRate=").append(learningRate)
                .append(", learningRateSchedule=").append(learningRateSchedule).append(", epsilon=").append(epsilon);
        extraHyperParameters().forEach((k, v) -> s.append(", ").append(k).append('=').append(v));
        return s.append(')').toString();
    }
}
