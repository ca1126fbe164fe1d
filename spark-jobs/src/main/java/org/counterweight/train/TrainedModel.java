package org.counterweight.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.counterweight.data.AtomicOutput;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * A trained network with everything needed to use and trace it: the label mapping (original
 * label values), the training data's feature names (so data to score is matched by name, not
 * position), the feature scaler fitted on the training part (or, for data with categorical or
 * missing values, the whole {@link Preparation} fitted on it), the specs it was trained with,
 * provenance (data paths, seed, code version) and the per-epoch history.
 *
 * <p>File format: a zip with {@code network.zip} (DL4J's {@link ModelSerializer} format, with the
 * updater state so training can resume) and {@code model.json} (everything else). Model files
 * written before feature names were stored have no {@code features} entry; they still load,
 * with {@link #featureNames()} empty; files without a {@code preparation} entry have none.
 */
public final class TrainedModel {
    private static final String NETWORK_ENTRY = "network.zip";
    private static final String META_ENTRY = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final MultiLayerNetwork network;
    private final LabelIndex labels;
    private final List<String> featureNames;
    private final Standardizer scaler;
    private final Map<String, String> specs;
    private final Map<String, String> provenance;
    private final List<EpochStats> history;
    private final Preparation preparation;

    /**
     * @param featureNames the features in network-input order, or null when unknown (then data
     *                     to score can only be matched by position)
     * @param specs        model, loss, optimizer, sampler, stage2 spec strings and trainer settings
     * @param provenance   train/validation paths, seed, code version, epochs, ...
     */
    public TrainedModel(MultiLayerNetwork network, LabelIndex labels, List<String> featureNames, Standardizer scaler,
                        Map<String, String> specs, Map<String, String> provenance, List<EpochStats> history) {
        this(network, labels, featureNames, scaler, specs, provenance, history, null);
    }

    /**
     * A model whose input rows go through {@code preparation} (null for none) before the network:
     * its feature names are then the preparation's input features, and {@code scaler} is the
     * identity over the network inputs.
     */
    TrainedModel(MultiLayerNetwork network, LabelIndex labels, List<String> featureNames, Standardizer scaler,
                 Map<String, String> specs, Map<String, String> provenance, List<EpochStats> history, Preparation preparation) {
        int inputs = preparation != null ? preparation.inputNames().size() : scaler.size();
        if (featureNames != null && featureNames.size() != inputs) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + inputs + " features");
        }
        this.preparation = preparation;
        this.network = network;
        this.labels = labels;
        this.featureNames = featureNames == null ? null : List.copyOf(featureNames);
        this.scaler = scaler;
        this.specs = Map.copyOf(specs);
        this.provenance = Map.copyOf(provenance);
        this.history = List.copyOf(history);
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public LabelIndex labels() {
        return labels;
    }

    /** The features in network-input order; empty for model files that predate stored names. */
    public Optional<List<String>> featureNames() {
        return Optional.ofNullable(featureNames);
    }

    /** Number of input features. */
    public int numFeatures() {
        return preparation != null ? preparation.inputNames().size() : scaler.size();
    }

    /** The preparation input rows go through before the network (categorical or missing values), if any. */
    public Optional<Preparation> preparation() {
        return Optional.ofNullable(preparation);
    }


    public Standardizer scaler() {
        return scaler;
    }

    public Map<String, String> specs() {
        return specs;
    }

    public Map<String, String> provenance() {
        return provenance;
    }

    public List<EpochStats> history() {
        return history;
    }

    /** Number of classes K. */
    public int numClasses() {
        return labels.size();
    }

    NetworkPayload payload() {
        return new NetworkPayload(network, scaler, labels.size());
    }

    /**
     * Writes the model file atomically to a local path (checkpoints); replaces only an earlier
     * model file (see {@link Output}).
     */
    public void save(Path file) {
        save(new Configuration(), Output.of(file.toAbsolutePath().toString(), OutputKind.MODEL));
    }

    /** Writes the model file atomically to {@code out} (any Hadoop file system). */
    public void save(Configuration conf, Output out) {
        AtomicOutput.writeFile(conf, out, this::writeTo);
    }

    /** Writes the model file's bytes: a zip of the DL4J network and the metadata. */
    public void writeTo(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(NETWORK_ENTRY));
        ByteArrayOutputStream net = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, net, true);
        zip.write(net.toByteArray());
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(META_ENTRY));
        zip.write(JSON.writeValueAsBytes(meta()));
        zip.closeEntry();
        zip.finish();
    }

    private Map<String, Object> meta() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put("labels", labels.values());
        if (featureNames != null) {
            m.put("features", featureNames);
        }
        m.put("scalerMean", scaler.mean());
        m.put("scalerStd", scaler.std());
        if (preparation != null) {
            m.put("preparation", preparation.toJson());
        }
        m.put("specs", specs);
        m.put("provenance", provenance);
        List<Map<String, Object>> h = new ArrayList<>();
        for (EpochStats s : history) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", s.epoch());
            e.put("loss", finite(s.loss()));
            e.put("trainBalancedAccuracy", finite(s.trainBalancedAccuracy()));
            e.put("validationBalancedAccuracy", finite(s.validationBalancedAccuracy()));
            e.put("seconds", s.seconds());
            h.add(e);
        }
        m.put("history", h);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Reads a model file; a {@link DataException} names the file when it is not a model. */
    public static TrainedModel load(Path file) {
        byte[] net = null;
        byte[] meta = null;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(NETWORK_ENTRY)) {
                    net = zip.readAllBytes();
                } else if (e.getName().equals(META_ENTRY)) {
                    meta = zip.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new DataException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        if (net == null || meta == null) {
            throw new DataException("model file " + file + " is not a Counterweight model (needs "
                    + NETWORK_ENTRY + " and " + META_ENTRY + ")");
        }
        try (InputStream in = new ByteArrayInputStream(net)) {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(in, true);
            Map<String, Object> m = JSON.readValue(meta, new TypeReference<Map<String, Object>>() { });
            @SuppressWarnings("unchecked")
            List<String> labels = (List<String>) m.get("labels");
            @SuppressWarnings("unchecked")
            List<String> features = (List<String>) m.get("features");
            Standardizer scaler = new Standardizer(doubles(m.get("scalerMean")), doubles(m.get("scalerStd")));
            @SuppressWarnings("unchecked")
            Map<String, String> specs = (Map<String, String>) m.get("specs");
            @SuppressWarnings("unchecked")
            Map<String, String> prov = (Map<String, String>) m.get("provenance");
            List<EpochStats> history = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> h = (List<Map<String, Object>>) m.get("history");
            for (Map<String, Object> e : h) {
                history.add(new EpochStats(((Number) e.get("epoch")).intValue(), num(e.get("loss")),
                        num(e.get("trainBalancedAccuracy")), num(e.get("validationBalancedAccuracy")), num(e.get("seconds"))));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> prep = (Map<String, Object>) m.get("preparation");
            return new TrainedModel(network, LabelIndex.of(labels), features, scaler, specs, prov, history,
                    prep == null ? null : Preparation.fromJson(prep));
        } catch (IOException | RuntimeException e) {
            throw new DataException("model file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static double[] doubles(Object o) {
        @SuppressWarnings("unchecked")
        List<Number> l = (List<Number>) o;
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = l.get(i).doubleValue();
        }
        return d;
    }
}
