package org.counterweight.updaters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.counterweight.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

class OptimizerSpecTest {
    @Test
    void ldamScheduleWarmsUpThenDecaysStepwise() {
        // Cao et al. 2019: lr 0.1, linear warm-up over 5 epochs, x0.01 at 160 and again at 180.
        OptimizerSpec o = OptimizerSpec.parse("sgd(lr=0.1,momentum=0.9,warmup=5,decay_epochs=160,180,decay=0.01,weight_decay=2e-4)");
        assertEquals(0.02, o.learningRateAt(0), 1e-12);
        assertEquals(0.1, o.learningRateAt(4), 1e-12);
        assertEquals(0.1, o.learningRateAt(159), 1e-12);
        assertEquals(0.001, o.learningRateAt(160), 1e-12);
        assertEquals(0.00001, o.learningRateAt(180), 1e-15);
        assertEquals(2e-4, o.weightDecay());
        Nesterovs n = assertInstanceOf(Nesterovs.class, o.updater(200));
        assertEquals(0.9, n.getMomentum());
        // The DL4J schedule is indexed by epoch and matches learningRateAt.
        assertEquals(0.02, n.getLearningRateSchedule().valueAt(0, 0), 1e-12);
        assertEquals(0.001, n.getLearningRateSchedule().valueAt(9999, 170), 1e-12);
    }

    @Test
    void plainOptimizersAndDefaults() {
        assertEquals(1e-3, assertInstanceOf(JavaAdam.class, OptimizerSpec.parse("adam").updater(10)).getLearningRate());
        assertEquals(0.05, assertInstanceOf(JavaAdaGrad.class, OptimizerSpec.parse("adagrad(lr=0.05)").updater(10)).getLearningRate());
        assertEquals(0.1, assertInstanceOf(Sgd.class, OptimizerSpec.parse("sgd").updater(10)).getLearningRate());
        assertTrue(!OptimizerSpec.parse("adam(lr=0.01)").isScheduled());
    }

    @Test
    void scheduledAdamAndAdaGradKeepTheirScheduleThroughClone() {
        // DL4J's configuration builder clones the updater into every layer; DL4J M2's own
        // AdaGrad.clone() dropped the schedule (rate NaN), the Java updaters keep it.
        for (String spec : new String[] {"adam(lr=0.01,warmup=2)", "adagrad(lr=0.05,warmup=2)"}) {
            OptimizerSpec o = OptimizerSpec.parse(spec);
            IUpdater copy = o.updater(5).clone();
            assertEquals(o.learningRateAt(0), copy.getLearningRate(0, 0), 1e-15, spec);
            assertEquals(o.learningRateAt(3), copy.getLearningRate(100, 3), 1e-15, spec);
        }
    }

    @Test
    void badSpecsNameTheParameter() {
        assertTrue(assertThrows(SpecException.class, () -> OptimizerSpec.parse("rmsprop")).getMessage().contains("adagrad, adam, sgd"));
        assertTrue(assertThrows(SpecException.class, () -> OptimizerSpec.parse("adam(momentum=0.9)")).getMessage().contains("momentum"));
        assertTrue(assertThrows(SpecException.class, () -> OptimizerSpec.parse("adam(lr=-1)")).getMessage().contains("lr"));
        assertTrue(assertThrows(SpecException.class, () -> OptimizerSpec.parse("sgd(decay_epochs=10,5)")).getMessage().contains("increasing"));
    }
}
