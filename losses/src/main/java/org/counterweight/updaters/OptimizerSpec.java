package org.counterweight.updaters;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.counterweight.spec.Spec;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The optimizer of a training run, parsed from a spec string:
 * {@code adam(lr=0.001)}, {@code adagrad(lr=0.01)}, {@code sgd(lr=0.1,momentum=0.9)} (momentum &gt; 0
 * uses DL4J's Nesterov momentum, its only momentum updater), each with
 * optional {@code warmup=W} (linear warm-up over the first W epochs), {@code decay_epochs=a,b}
 * with {@code decay=g} (step decay: the rate is multiplied by g at each listed epoch) and
 * {@code weight_decay=λ} (decoupled weight decay on weights, not biases).
 *
 * <p>LDAM-DRW's schedule (Cao et al. 2019, §4 and their code) is
 * {@code sgd(lr=0.1,momentum=0.9,warmup=5,decay_epochs=160,180,decay=0.01,weight_decay=2e-4)}:
 * epoch e &lt; 5 uses lr·(e+1)/5; the rate is then multiplied by 0.01 at epoch 160 and again at
 * 180. The schedule is an epoch-indexed DL4J {@link MapSchedule}, so it travels inside the
 * network configuration to every Spark worker and follows the configuration's epoch count,
 * which the trainer sets on the driver before each epoch.
 *
 * <p>{@code adam} and {@code adagrad} build {@link JavaAdam}/{@link JavaAdaGrad}:
 * DL4J's Adam/AdaGrad with the same hyper-parameters, state layout and arithmetic, computed in a
 * Java loop instead of libnd4j's op, which cost ~6 ns per parameter (docs/training.md "Speed").
 * They also keep a learning-rate schedule through {@code clone()}, which DL4J 1.0.0-M2's
 * {@code AdaGrad} does not (its clone drops the schedule and trains with rate NaN).
 */
public final class OptimizerSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> KNOWN = List.of("adam", "adagrad", "sgd");


    private final String text;
    private final String name;
    private final double lr;
    private final double momentum;
    private final int warmup;
    private final int[] decayEpochs;
    private final double decay;
    private final double weightDecay;

    private OptimizerSpec(String text, String name, double lr, double momentum, int warmup,
                          int[] decayEpochs, double decay, double weightDecay) {
        this.text = text;
        this.name = name;
        this.lr = lr;
        this.momentum = momentum;
        this.warmup = warmup;
        this.decayEpochs = decayEpochs;
        this.decay = decay;
        this.weightDecay = weightDecay;
    }

    /** Parses and validates an optimizer spec; errors name the parameter and its allowed range. */
    public static OptimizerSpec parse(String text) {
        Spec s = Spec.parse(text);
        if (!KNOWN.contains(s.name())) {
            throw s.unknownName("optimizer", KNOWN);
        }
        boolean sgd = s.name().equals("sgd");
        if (sgd) {
            s.requireOnly("lr", "momentum", "warmup", "decay_epochs", "decay", "weight_decay");
        } else {
            s.requireOnly("lr", "warmup", "decay_epochs", "decay", "weight_decay");
        }
        double defaultLr = switch (s.name()) {
            case "adam" -> 1e-3;
            case "adagrad" -> 1e-2;
            default -> 0.1;
        };
        double lr = s.getDouble("lr", defaultLr, v -> v >= 0, ">= 0");
        double momentum = sgd ? s.getDouble("momentum", 0.0, v -> v >= 0 && v < 1, "in [0, 1)") : 0.0;
        int warmup = s.getInt("warmup", 0, 0, 100_000);
        int[] decayEpochs = s.getIntList("decay_epochs", new int[0]);
        for (int i = 1; i < decayEpochs.length; i++) {
            if (decayEpochs[i] <= decayEpochs[i - 1]) {
                throw new org.counterweight.spec.SpecException(s.name() + ": decay_epochs="
                        + s.getString("decay_epochs", "") + " must be increasing");
            }
        }
        double decay = s.getDouble("decay", 0.1, v -> v > 0 && v <= 1, "in (0, 1]");
        double wd = s.getDouble("weight_decay", 0.0, v -> v >= 0, ">= 0");
        return new OptimizerSpec(s.text(), s.name(), lr, momentum, warmup, decayEpochs, decay, wd);
    }

    /** The spec text as given. */
    public String text() {
        return text;
    }

    /** Base learning rate. */
    public double learningRate() {
        return lr;
    }

    /** Decoupled weight decay coefficient (0 = none). */
    public double weightDecay() {
        return weightDecay;
    }

    /** Learning rate of epoch {@code epoch} (0-based): warm-up, then step decay. */
    public double learningRateAt(int epoch) {
        double rate = lr;
        if (epoch < warmup) {
            rate = lr * (epoch + 1) / warmup;
        }
        for (int e : decayEpochs) {
            if (epoch >= e) {
                rate *= decay;
            }
        }
        return rate;
    }

    /** True when the rate varies with the epoch. */
    public boolean isScheduled() {
        return warmup > 0 || decayEpochs.length > 0;
    }

    /**
     * The DL4J updater for a run of {@code epochs} epochs. With a schedule, the rate is an
     * epoch-indexed map covering every epoch (a map schedule holds its last value beyond its
     * largest key, so a resumed or extended run keeps the final rate).
     */
    public IUpdater updater(int epochs) {
        ISchedule schedule = null;
        if (isScheduled()) {
            Map<Integer, Double> values = new TreeMap<>();
            for (int e = 0; e < Math.max(1, epochs); e++) {
                values.put(e, learningRateAt(e));
            }
            schedule = new MapSchedule(ScheduleType.EPOCH, values);
        }
        switch (name) {
            case "adam":
                return schedule == null ? new JavaAdam(lr) : new JavaAdam(schedule);
            case "adagrad":
                return schedule == null ? new JavaAdaGrad(lr) : new JavaAdaGrad(schedule);
            default:
                if (momentum > 0) {
                    return schedule == null ? new Nesterovs(lr, momentum) : new Nesterovs(schedule, momentum);
                }
                return schedule == null ? new Sgd(lr) : new Sgd(schedule);
        }
    }

    @Override
    public String toString() {
        return text + " -> " + name + "(lr=" + lr + (momentum > 0 ? ", momentum=" + momentum : "")
                + (warmup > 0 ? ", warmup=" + warmup : "")
                + (decayEpochs.length > 0 ? ", decay_epochs=" + Arrays.toString(decayEpochs) + ", decay=" + decay : "")
                + (weightDecay > 0 ? ", weight_decay=" + weightDecay : "") + ")";
    }
}
