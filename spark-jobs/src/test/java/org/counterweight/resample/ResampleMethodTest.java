package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.counterweight.experiment.MethodCatalog;
import org.junit.jupiter.api.Test;

/** Building resamplers from method names and specs (CLI and experiment configs); no Spark job. */
class ResampleMethodTest {

    @Test
    void specSetsTypedParams() {
        NearMiss nm = (NearMiss) ResampleMethod.fromSpec(
                "nearmiss(version=3,n_neighbors_ver3=5,sampling_strategy=0:100,1:80,seed=7)");
        assertEquals(3, nm.getVersion());
        assertEquals(5, nm.getNNeighborsVer3());
        assertEquals(3, nm.getNNeighbors());
        assertEquals("0:100,1:80", nm.getSamplingStrategy());
        assertEquals(7L, nm.getSeed());
        Smote s = (Smote) ResampleMethod.fromSpec("SMOTE(k_neighbors=2)");
        assertEquals(2, s.getKNeighbors());
        assertTrue(ResampleMethod.parse("random-under").create() instanceof RandomUnderSampler);
    }

    @Test
    void overSamplerSpecsAndExperimentMethods() {
        BorderlineSmote b = (BorderlineSmote) ResampleMethod.fromSpec("borderline-smote(kind=2,k_neighbors=3,m_neighbors=8)");
        assertEquals(2, b.getKind());
        assertEquals(3, b.getKNeighbors());
        assertEquals(8, b.getMNeighbors());
        assertEquals(4, ((Adasyn) ResampleMethod.fromSpec("adasyn(n_neighbors=4)")).getNNeighbors());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.fromSpec("borderline-smote(kind=3)"))
                .getMessage().startsWith("kind = 3 is not allowed"));
        for (ResampleMethod m : ResampleMethod.values()) {
            assertTrue(MethodCatalog.names().contains(m.cliName() + "+ce"), m.cliName());
            assertEquals(m.cliName(), MethodCatalog.resolve(m.cliName() + "+ce").resampler());
        }
    }

    @Test
    void everyMethodIsNamedInMessagesAsOnTheCommandLine() {
        for (ResampleMethod m : ResampleMethod.values()) {
            assertEquals(m.cliName(), m.create().methodName());
        }
    }

    @Test
    void badSpecsNameTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.fromSpec("smote(version=2)"))
                .getMessage().startsWith("smote has no parameter 'version'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.fromSpec("nearmiss(version=4)"))
                .getMessage().startsWith("version = 4 is not allowed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.fromSpec("smote(k_neighbors=x)"))
                .getMessage().contains("kNeighbors must be an integer"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ResampleMethod.fromSpec("random-over(sampling_strategy=2.5)")).getMessage()
                .contains("(0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.parse("tomek"))
                .getMessage().contains("known: random-over, random-under, smote, nearmiss"));
    }

    @Test
    void paramsAreDocumented() {
        String doc = new Smote().explainParams();
        for (String p : new String[] {"samplingStrategy", "seed", "labelCol", "featuresCol", "rowIdCol", "kNeighbors",
                                      "broadcastBudgetBytes", "blockRows", "knn", "knnCandidates", "knnExactMaxPairs"}) {
            assertTrue(doc.contains(p + ":"), p + " in " + doc);
        }
    }
}
