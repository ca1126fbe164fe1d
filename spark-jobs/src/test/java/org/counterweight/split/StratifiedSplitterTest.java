package org.counterweight.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.SyntheticGenerator;
import org.junit.jupiter.api.Test;

class StratifiedSplitterTest {
    private final SparkSession spark = SparkTestSupport.spark();

    /** 3 classes of 700, 150 and 13 rows (including an awkward small class). */
    private LabeledFrame data(int partitions) {
        return new SyntheticGenerator().rows(863).features(3).classes(3).imbalanceRatio(700.0 / 13).seed(5)
                .partitions(partitions).generate(spark);
    }

    private static Set<Long> ids(LabeledFrame lf) {
        Set<Long> out = new HashSet<>();
        for (Row r : lf.frame().select("row_id").collectAsList()) {
            assertTrue(out.add(r.getLong(0)), "duplicate row id " + r.getLong(0));
        }
        return out;
    }

    @Test
    void holdoutHasRoundedPerClassCountsAndPartitionsTheInput() {
        LabeledFrame d = data(3);
        long[] n = d.classCounts();
        StratifiedSplitter.Holdout h = new StratifiedSplitter(11).holdout(d, 0.2, 0.1);
        long[] test = h.test().classCounts();
        long[] val = h.validation().classCounts();
        long[] train = h.train().classCounts();
        for (int k = 0; k < n.length; k++) {
            assertEquals(Math.round(0.2 * n[k]), test[k], "test class " + k);
            assertEquals(Math.round(0.1 * n[k]), val[k], "validation class " + k);
            assertEquals(n[k], test[k] + val[k] + train[k], "class " + k);
        }
        Set<Long> all = new HashSet<>();
        for (LabeledFrame part : List.of(h.train(), h.validation(), h.test())) {
            for (Long id : ids(part)) {
                assertTrue(all.add(id), "row " + id + " in two parts");
            }
        }
        assertEquals(ids(d), all);
    }

    @Test
    void sameSeedSameSplitWhateverThePartitioning() {
        StratifiedSplitter s = new StratifiedSplitter(3);
        Set<Long> one = ids(s.holdout(data(1), 0.25, 0).test());
        Set<Long> seven = ids(s.holdout(data(7), 0.25, 0).test());
        LabeledFrame d = data(2);
        Set<Long> repartitioned = ids(s.holdout(d.withFrame(d.frame().repartition(5)), 0.25, 0).test());
        assertEquals(one, seven);
        assertEquals(one, repartitioned);
        assertTrue(!one.equals(ids(new StratifiedSplitter(4).holdout(data(1), 0.25, 0).test())), "another seed, another split");
        assertNull(s.holdout(data(1), 0.25, 0).validation());
    }

    @Test
    void foldsAreStratifiedDisjointAndCoverTheInput() {
        LabeledFrame d = data(4);
        long[] n = d.classCounts();
        List<StratifiedSplitter.Fold> folds = new StratifiedSplitter(9).kfold(d, 4);
        assertEquals(4, folds.size());
        Set<Long> seen = new HashSet<>();
        List<Long> sizes = new ArrayList<>();
        for (StratifiedSplitter.Fold f : folds) {
            long[] t = f.test().classCounts();
            long size = 0;
            for (int k = 0; k < n.length; k++) {
                assertTrue(t[k] == n[k] / 4 || t[k] == n[k] / 4 + 1, "fold " + f.index() + " class " + k + ": " + t[k]);
                size += t[k];
            }
            sizes.add(size);
            Set<Long> testIds = ids(f.test());
            Set<Long> trainIds = ids(f.train());
            testIds.forEach(id -> assertTrue(!trainIds.contains(id)));
            assertEquals(863, testIds.size() + trainIds.size());
            for (Long id : testIds) {
                assertTrue(seen.add(id), "row " + id + " tested twice");
            }
        }
        assertEquals(863, seen.size());
        assertTrue(sizes.stream().mapToLong(Long::longValue).max().getAsLong()
                - sizes.stream().mapToLong(Long::longValue).min().getAsLong() <= 1, "total fold sizes " + sizes);
    }

    @Test
    void badFractionsAndFoldCountsFailFast() {
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplitter.validateHoldout(0, 0));
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplitter.validateHoldout(0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplitter.validateHoldout(0.2, -0.1));
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplitter.validateFolds(1));
    }
}
