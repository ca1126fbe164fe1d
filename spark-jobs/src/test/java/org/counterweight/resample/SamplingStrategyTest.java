package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The resolver against imbalanced-learn 0.10's {@code check_sampling_strategy} on every form and
 * sampler kind (fixture strategy.json, made by tools/fixtures/resample/make_fixtures.py).
 */
class SamplingStrategyTest {

    @TestFactory
    List<DynamicTest> matchesImbalancedLearn() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : SparkForTests.json("strategy.json")) {
            Map<Integer, Long> counts = new TreeMap<>();
            c.get("counts").fields().forEachRemaining(e -> counts.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            String strategy = c.get("strategy").asText();
            SamplerKind kind = SamplerKind.valueOf(c.get("kind").asText());
            String name = kind + " " + counts + " '" + strategy + "'";
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (c.has("targets")) {
                    Map<Integer, Long> expected = new TreeMap<>();
                    c.get("targets").fields().forEachRemaining(
                            e -> expected.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
                    assertEquals(expected, SamplingStrategy.parse(strategy).targets(ClassStats.of(counts), kind));
                } else {
                    RuntimeException e = assertThrows(RuntimeException.class,
                            () -> SamplingStrategy.parse(strategy).targets(ClassStats.of(counts), kind),
                            "imbalanced-learn: " + c.get("error").asText());
                    assertTrue(e instanceof DataException || e instanceof IllegalArgumentException, e.toString());
                    assertTrue(e.getMessage().contains("sampling-strategy") || e.getMessage().contains("class"),
                            e.getMessage());
                }
            }));
        }
        assertTrue(tests.size() >= 300, "fixture has all cases");
        return tests;
    }

    @Test
    void fixtureCoversEveryFormAndBothOutcomes() {
        int ok = 0;
        int err = 0;
        for (JsonNode c : SparkForTests.json("strategy.json")) {
            if (c.has("targets")) {
                ok++;
            } else {
                err++;
            }
        }
        assertTrue(ok >= 80 && err >= 80, ok + " resolved, " + err + " errors");
    }

    @Test
    void messagesNameTheProblem() {
        ClassStats binary = ClassStats.of(Map.of(0, 10L, 1, 100L));
        ClassStats multi = ClassStats.of(Map.of(0, 10L, 1, 100L, 2, 30L));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SamplingStrategy.parse("majority").targets(binary, SamplerKind.OVER)).getMessage()
                .contains("over-sampler"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SamplingStrategy.parse("minority").targets(binary, SamplerKind.UNDER)).getMessage()
                .contains("under-sampler"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SamplingStrategy.parse("0.5").targets(multi, SamplerKind.OVER)).getMessage()
                .contains("binary"));
        assertTrue(assertThrows(DataException.class,
                () -> SamplingStrategy.parse("0:5").targets(binary, SamplerKind.OVER)).getMessage()
                .contains("cannot shrink class 0"));
        assertTrue(assertThrows(DataException.class,
                () -> SamplingStrategy.parse("1:500").targets(binary, SamplerKind.UNDER)).getMessage()
                .contains("cannot grow class 1"));
        assertTrue(assertThrows(DataException.class,
                () -> SamplingStrategy.parse("7:5").targets(binary, SamplerKind.UNDER)).getMessage()
                .contains("class '7' is not present"));
        assertTrue(assertThrows(DataException.class,
                () -> SamplingStrategy.parse("auto").targets(ClassStats.of(Map.of(3, 9L)), SamplerKind.OVER))
                .getMessage().contains("more than one class"));
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"", "  ", "often", "0", "1.5", "-0.2", "NaN", "0:", ":5", "0:x", "0:-1",
                                        "0:5,0:6", "0:5,,1:3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SamplingStrategy.parse(bad), "'" + bad + "'");
            assertTrue(e.getMessage().contains("sampling-strategy"), e.getMessage());
        }
    }

    @Test
    void namedFormsAcceptImbalancedLearnSpellings() {
        ClassStats n = ClassStats.of(Map.of(0, 10L, 1, 100L, 2, 30L));
        Map<Integer, Long> expected = Map.of(0, 100L, 2, 100L);
        for (String s : new String[] {"not-majority", "not_majority", "not majority", "NOT-MAJORITY", "auto"}) {
            assertEquals(expected, SamplingStrategy.parse(s).targets(n, SamplerKind.OVER), s);
        }
    }

    @Test
    void explicitClassesCanBeOriginalLabelValues() {
        LabelIndex labels = LabelIndex.of(List.of("cat", "dog", "emu"));
        ClassStats n = ClassStats.of(Map.of(0, 10L, 1, 100L, 2, 30L));
        assertEquals(Map.of(0, 50L, 2, 60L),
                SamplingStrategy.parse("cat:50,emu:60").targets(n, SamplerKind.OVER, labels));
        DataException e = assertThrows(DataException.class,
                () -> SamplingStrategy.parse("0:50").targets(n, SamplerKind.OVER, labels));
        assertTrue(e.getMessage().contains("cat, dog, emu"), e.getMessage());
        // Numeric labels: the original value, not the position, names the class.
        LabelIndex numeric = LabelIndex.of(List.of("-1", "1"));
        assertEquals(Map.of(0, 40L), SamplingStrategy.parse("-1:40").targets(
                ClassStats.of(Map.of(0, 10L, 1, 100L)), SamplerKind.OVER, numeric));
    }

    @Test
    void majorityAndMinorityTiesGoToTheSmallerClassIndex() {
        ClassStats tie = ClassStats.of(Map.of(0, 50L, 1, 50L, 2, 10L, 3, 10L));
        assertEquals(0, tie.majority());
        assertEquals(2, tie.minority());
        assertEquals(Map.of(1, 50L, 2, 50L, 3, 50L), SamplingStrategy.parse("auto").targets(tie, SamplerKind.OVER));
        assertEquals(Map.of(0, 10L, 1, 10L, 3, 10L), SamplingStrategy.parse("auto").targets(tie, SamplerKind.UNDER));
    }

    @Test
    void nearMissMinorityTiesFollowRowOrder() {
        ClassStats tie = new ClassStats(Map.of(0, 10L, 1, 10L, 2, 40L), Map.of(0, 7L, 1, 3L, 2, 0L), 59);
        assertEquals(0, tie.minority());
        assertEquals(1, tie.minorityInRowOrder());
    }
}
