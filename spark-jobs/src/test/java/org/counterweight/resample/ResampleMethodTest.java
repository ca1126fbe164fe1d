package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    void cleanerSpecsAndTheirExperimentMethods() {
        EditedNearestNeighbours enn = (EditedNearestNeighbours) ResampleMethod.fromSpec(
                "enn(n_neighbors=5,kind_sel=mode,sampling_strategy=[1,2],knn=exact)");
        assertEquals(5, enn.getNNeighbors());
        assertEquals("mode", enn.getKindSel());
        assertEquals("[1,2]", enn.getSamplingStrategy());
        assertEquals(SamplerKind.CLEAN, enn.kind());
        assertTrue(ResampleMethod.fromSpec("tomek-links") instanceof TomekLinks);
        SmoteEnn se = (SmoteEnn) ResampleMethod.fromSpec("smote-enn(k_neighbors=4,n_neighbors=2)");
        assertEquals(4, se.getKNeighbors());
        assertEquals(2, se.getNNeighbors());
        assertEquals(SamplerKind.OVER, ResampleMethod.fromSpec("smote-tomek(k_neighbors=3)").kind());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.fromSpec("enn(kind_sel=any)"))
                .getMessage().startsWith("kindSel = any is not allowed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.fromSpec("tomek-links(k_neighbors=3)"))
                .getMessage().startsWith("tomek-links has no parameter 'kNeighbors'"));
        for (String m : new String[] {"tomek-links", "enn", "smote-tomek", "smote-enn"}) {
            assertTrue(MethodCatalog.names().contains(m + "+ce"), m);
        }
        assertEquals("smote-enn(n_neighbors=5)", MethodCatalog.resolve("smote-enn(n_neighbors=5)+ce").resampler());
        // smote-nc: positions from the dataset's declaration, or given in the spec.
        assertEquals("smote-nc", MethodCatalog.resolve("smote-nc+ce").resampler());
        assertEquals("smote-nc(categorical_features=2,5,k_neighbors=3)",
                MethodCatalog.resolve("smote-nc(categorical_features=2,5,k_neighbors=3)+ce").resampler());
        SmoteNc nc = (SmoteNc) ResampleMethod.fromSpec("smote-nc(categorical_features=2,5,k_neighbors=3)");
        assertArrayEquals(new int[] {2, 5}, nc.getCategoricalFeatures());
        assertEquals(3, nc.getKNeighbors());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ResampleMethod.fromSpec("smote-nc(categorical_features=2,2)")).getMessage()
                .startsWith("categoricalFeatures = 2,2 is not allowed"));
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
                .getMessage().contains("known: random-over, random-under, smote, smote-nc, nearmiss"));
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
