package org.counterweight.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.HelperUtils;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementAddFunction;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementCombineFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Guards of the DL4J-version-specific code ({@code org.counterweight.dl4j}, docs/STACK.md
 * "DL4J-version-specific code"): each test checks what one workaround relies on in DL4J/ND4J
 * 1.0.0-M2 and, when an upgrade changes it, fails with a message naming the workaround to
 * revisit. No Spark session: DL4J's classes are called directly.
 */
class Dl4jWorkaroundsTest {
    private static final String VERSION = "1.0.0-M2";
    private static final String SHIM = "org.nd4j.nativeblas.Nd4jCpu$Environment";

    /** Every workaround was written against this version; an upgrade must revisit them all. */
    @ParameterizedTest
    @ValueSource(strings = {"org.deeplearning4j/deeplearning4j-nn", "org.deeplearning4j/dl4j-spark_2.12",
        "org.nd4j/nd4j-api", "org.nd4j/nd4j-native", "org.nd4j/nd4j-kryo_2.12"})
    void dl4jIsTheVersionTheWorkaroundsWereWrittenFor(String artifact) throws IOException {
        List<URL> found = Collections.list(getClass().getClassLoader()
                .getResources("META-INF/maven/" + artifact + "/pom.properties"));
        assertFalse(found.isEmpty(), artifact + " is not on the class path: update this guard");
        for (URL url : found) {
            Properties pom = new Properties();
            try (InputStream in = url.openStream()) {
                pom.load(in);
            }
            assertEquals(VERSION, pom.getProperty("version"), artifact + " is " + pom.getProperty("version") + " ("
                    + url + "), the workarounds were written for " + VERSION + ": revisit each one in docs/STACK.md, "
                    + "\"DL4J-version-specific code\" (org.counterweight.dl4j, org.nd4j.nativeblas.Nd4jCpu, "
                    + "org.counterweight.updaters), then update this guard");
        }
    }

    /** Guards {@code org.nd4j.nativeblas.Nd4jCpu}, the shim for M2's oneDNN helper check. */
    @Test
    void oneDnnHelperCheckStillAsksForThePreM2NativeEnvironment() throws IOException {
        String helper = classFileText(BaseMKLDNNHelper.class);
        assertTrue(helper.contains(SHIM) && helper.contains("isUseMKLDNN"), "DL4J's BaseMKLDNNHelper no longer looks up "
                + SHIM + ".isUseMKLDNN(): remove the Nd4jCpu shim (spark-jobs, org.nd4j.nativeblas) if NetworkFactoryTest "
                + "still finds oneDNN helpers without it");
        List<URL> copies = Collections.list(getClass().getClassLoader().getResources(SHIM.replace('.', '/') + ".class"));
        assertEquals(1, copies.size(), "ND4J ships " + SHIM + " again " + copies + ": remove the Nd4jCpu shim");
        assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "DL4J's oneDNN check fails with the Nd4jCpu shim in place "
                + "(or the natives lack oneDNN, see docs/STACK.md): convolutions would silently fall back to im2col");
    }

    /** Guards {@link Dl4jRuntime}'s {@code helpers.disable=false}: M2 turns helpers off unless told. */
    @Test
    void dl4jStillDisablesItsLayerHelpersUnlessTheSwitchSaysOtherwise() {
        String before = System.clearProperty(Dl4jRuntime.HELPERS_DISABLE);
        try {
            assertNull(newConvolutionHelper(), "DL4J creates layer helpers by default now: Dl4jRuntime need not set "
                    + Dl4jRuntime.HELPERS_DISABLE + "=false (docs/STACK.md, \"Convolutions through oneDNN\")");
            System.setProperty(Dl4jRuntime.HELPERS_DISABLE, "false");
            assertInstanceOf(MKLDNNConvHelper.class, newConvolutionHelper(), "DL4J ignores " + Dl4jRuntime.HELPERS_DISABLE
                    + "=false: find the switch that turns its helpers on now and set that in Dl4jRuntime");
        } finally {
            if (before == null) {
                System.clearProperty(Dl4jRuntime.HELPERS_DISABLE);
            } else {
                System.setProperty(Dl4jRuntime.HELPERS_DISABLE, before);
            }
        }
    }

    /** Guards {@link RoundTrainingMaster#fitRound}, which divides DL4J's sums by the worker count. */
    @Test
    void dl4jAggregationStillSumsWhatRoundTrainingMasterDivides() throws Exception {
        ParameterAveragingElementAddFunction add = new ParameterAveragingElementAddFunction();
        ParameterAveragingAggregationTuple first = add.call(null, result(1, 2, 10, 0.5));
        ParameterAveragingAggregationTuple second = add.call(null, result(3, 4, 30, 1.5));
        ParameterAveragingElementCombineFunction combine = new ParameterAveragingElementCombineFunction();
        ParameterAveragingAggregationTuple sum = combine.call(combine.call(null, first), second);
        String why = "DL4J's parameter-averaging aggregation no longer sums parameters, updater state, scores and "
                + "worker counts: RoundTrainingMaster.fitRound divides by the count and must follow the change";
        assertEquals(2, sum.getAggregationsCount(), why);
        assertEquals(Nd4j.createFromArray(4f, 6f), sum.getParametersSum(), why);
        assertEquals(Nd4j.createFromArray(40f), sum.getUpdaterStateSum(), why);
        assertEquals(2.0, sum.getScoreSum(), 1e-12, why);
    }

    /** Guards {@link BulkArraySerializer}'s empty-array format. */
    @Test
    void nd4jKryoSerializerStillCannotWriteEmptyArrays() {
        Nd4jSerializer nd4j = new Nd4jSerializer();
        assertThrows(RuntimeException.class, () -> nd4j.write(new Kryo(), new Output(256, -1), Nd4j.empty(DataType.FLOAT)),
                "ND4J's Kryo serializer writes empty arrays now: measure it against BulkArraySerializer on a round "
                        + "(BENCHMARKS.md, \"Training\") and drop ours if it is as fast");
    }

    /**
     * Guards the note that a layer configuration's {@code clone()} shares the loss object (docs/STACK.md):
     * workers cloning one configuration in one JVM would share loss state, one reason the Spark
     * trainer ships a serialised copy per round.
     */
    @Test
    void layerConfigurationCloneStillSharesTheLossFunction() {
        OutputLayer layer = new OutputLayer.Builder(new LossMCXENT()).nIn(2).nOut(2).build();
        assertSame(layer.getLossFn(), ((OutputLayer) layer.clone()).getLossFn(), "DL4J's layer clone() copies the loss now: "
                + "docs/STACK.md's note on shared loss state is stale (SparkFitBackend still ships a serialised copy, "
                + "which a broadcast in the driver's JVM needs anyway)");
    }

    private static Object newConvolutionHelper() {
        return HelperUtils.createHelper("", MKLDNNConvHelper.class.getName(), ConvolutionHelper.class, "guard",
                DataType.FLOAT);
    }

    private static ParameterAveragingTrainingResult result(float p0, float p1, float state, double score) {
        return new ParameterAveragingTrainingResult(Nd4j.createFromArray(p0, p1), Nd4j.createFromArray(state), score,
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    /** The class file of {@code type} as text, enough to find the string constants it uses. */
    private static String classFileText(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
