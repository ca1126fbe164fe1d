package org.counterweight.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.counterweight.losses.layers.AnchorOutputLayer;
import org.counterweight.losses.layers.CosineOutputLayer;
import org.counterweight.spec.SpecException;
import org.counterweight.updaters.OptimizerSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NetworkFactoryTest {
    private static final long[] COUNTS = {90, 10};
    private static final OptimizerSpec ADAM = OptimizerSpec.parse("adam(lr=0.01)");

    private static MultiLayerConfiguration build(String model, String loss, int nIn, long[] counts) {
        return NetworkFactory.build(model, nIn, counts.length, LossHeads.create(loss, counts, 10), ADAM, 10, 7);
    }

    @Test
    void papersMlpHasLayers36To16To8ToK() {
        MultiLayerNetwork net = new MultiLayerNetwork(build("mlp(hidden=16,8)", "ce", 36, COUNTS));
        net.init();
        assertEquals(3, net.getnLayers());
        assertEquals(36 * 16 + 16 + 16 * 8 + 8 + 8 * 2 + 2, net.numParams());
        INDArray p = net.output(Nd4j.rand(5, 36));
        assertArrayEquals(new long[] {5, 2}, p.shape());
        assertEquals(5.0, p.sumNumber().doubleValue(), 1e-5, "rows are probabilities");
    }

    @Test
    void headFollowsTheLoss() {
        assertTrue(build("mlp(hidden=8)", "ldam", 4, COUNTS).getConf(1).getLayer() instanceof CosineOutputLayer);
        assertTrue(build("mlp(hidden=8)", "fal", 4, COUNTS).getConf(1).getLayer() instanceof AnchorOutputLayer);
        assertTrue(build("mlp(hidden=8,activation=tanh,dropout=0.2)", "ce", 4, COUNTS).getConf(0).getLayer() instanceof DenseLayer);
    }

    @Test
    void cnnSmallRunsOn28By28Images() {
        long[] ten = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
        MultiLayerConfiguration conf = build("cnn-small", "ce", 784, ten);
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.toJson()));
        net.init();
        assertArrayEquals(new long[] {3, 10}, net.output(Nd4j.rand(3, 784)).shape());
        assertThrows(SpecException.class, () -> build("cnn-small", "ce", 36, COUNTS));
    }

    @Test
    void cnnSmallRunsThroughOneDnnAndAgreesWithTheBuiltInPath() {
        long[] ten = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
        MultiLayerConfiguration conf = build("cnn-small", "ce", 784, ten);
        MultiLayerNetwork oneDnn = new MultiLayerNetwork(conf.clone());
        oneDnn.init();
        assertNotNull(oneDnn.getLayer(0).getHelper(), "first convolution must run through oneDNN (Dl4jRuntime, Nd4jCpu shim)");
        assertNotNull(oneDnn.getLayer(1).getHelper(), "first pooling layer must run through oneDNN");

        MultiLayerNetwork builtIn = FitProbe.builtInConvolutions(() -> {
            MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
            net.init(oneDnn.params().dup(), true);
            return net;
        });
        assertNull(builtIn.getLayer(0).getHelper());

        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 784);
        INDArray y = Nd4j.eye(10).castTo(DataType.FLOAT).repeat(0, 2).get(NDArrayIndex.interval(0, 16), NDArrayIndex.all());
        assertTrue(oneDnn.output(x).equalsWithEps(builtIn.output(x), 1e-5), "predictions agree");
        INDArray[] gradients = new INDArray[2];
        MultiLayerNetwork[] nets = {oneDnn, builtIn};
        for (int i = 0; i < 2; i++) {
            nets[i].setInput(x);
            nets[i].setLabels(y);
            nets[i].computeGradientAndScore();
            gradients[i] = nets[i].gradient().gradient().dup();
        }
        assertEquals(builtIn.score(), oneDnn.score(), 1e-5, "loss");
        double scale = gradients[1].norm2Number().doubleValue();
        assertTrue(scale > 0);
        assertEquals(0.0, gradients[0].sub(gradients[1]).norm2Number().doubleValue() / scale, 1e-4,
                "relative difference of the whole gradient (conv, pooling, dense, output)");
    }

    @Test
    void configurationSurvivesJson() {
        MultiLayerConfiguration conf = build("mlp(hidden=16,8)", "weighted-ce(weights=cb,drw=3)", 36, COUNTS);
        String json = conf.toJson();
        assertEquals(json, MultiLayerConfiguration.fromJson(json).toJson());
        assertTrue(json.contains("\"drwEpoch\" : 3"), "the DRW epoch travels in the JSON");
    }

    @Test
    void unknownModelsAndKeysListWhatIsAllowed() {
        assertTrue(assertThrows(SpecException.class, () -> build("resnet", "ce", 4, COUNTS)).getMessage().contains("cnn-small, mlp"));
        assertTrue(assertThrows(SpecException.class, () -> build("mlp(width=3)", "ce", 4, COUNTS)).getMessage().contains("hidden"));
        assertTrue(assertThrows(SpecException.class, () -> build("mlp(activation=gelu)", "ce", 4, COUNTS)).getMessage().contains("relu"));
        assertThrows(SpecException.class, () -> build("mlp", "nope", 4, COUNTS));
    }
}
