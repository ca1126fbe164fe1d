package org.counterweight.train;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model file per epoch ({@code epoch-0001.zip}, with updater state and history) plus the best
 * epoch so far under early stopping ({@code best.zip}, {@code best.properties}). Resuming loads
 * the highest-numbered epoch file; since draws and orders depend only on (seed, epoch), a resumed
 * run continues exactly as an uninterrupted one would. {@link #resume} decides where a run starts,
 * {@link #writer} writes the main stage's checkpoints.
 */
final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch-(\\d+)\\.zip");

    private Checkpoints() {
    }

    /** Best validation balanced accuracy seen so far and the parameters that reached it. */
    static final class Best {
        int epoch = -1;
        double score = Double.NEGATIVE_INFINITY;
        INDArray params;

        /** Records the epoch if it improves on the best; NaN scores (no validation) never do. */
        boolean offer(int e, double s, MultiLayerNetwork net) {
            if (Double.isNaN(s) || s <= score) {
                return false;
            }
            epoch = e;
            score = s;
            params = net.params().dup();
            return true;
        }
    }

    /**
     * Where a run starts: its network, the history of the epochs already trained (appended to as
     * training goes on), the first epoch to train and the best epoch so far.
     */
    record Start(MultiLayerNetwork network, List<EpochStats> history, int epoch, Best best) {
    }

    /** A checkpoint read back: the model and the best-so-far record. */
    private record Restored(Path file, TrainedModel model, Best best) {
    }

    /**
     * The start of a run: with {@code resume} and an epoch file in the checkpoint directory, the
     * latest checkpoint — refused unless it was written with the same result-affecting settings
     * (the number of epochs aside) and the same features; otherwise {@code fresh} at epoch 0.
     */
    static Start resume(TrainingConfig cfg, MultiLayerNetwork fresh) {
        Restored r = cfg.resume() && cfg.checkpointDir() != null ? latest(Paths.get(cfg.checkpointDir())) : null;
        if (r == null) {
            return new Start(fresh, new ArrayList<>(), 0, new Best());
        }
        checkCompatible(r, cfg);
        int epoch = r.model().history().size();
        LOG.info("resuming from {} at epoch {}", r.file(), epoch + 1);
        return new Start(r.model().network(), new ArrayList<>(r.model().history()), epoch, r.best());
    }

    /**
     * The main stage's end-of-epoch step: with a checkpoint directory, saves the epoch's model
     * ({@code model} of the network) and, when the epoch improved on the best, the best one.
     */
    static EpochLoop.AfterEpoch writer(TrainingConfig cfg, Function<MultiLayerNetwork, TrainedModel> model) {
        if (cfg.checkpointDir() == null) {
            return EpochLoop.AfterEpoch.NONE;
        }
        Path dir = Paths.get(cfg.checkpointDir());
        return (epoch, net, improvedBest) -> save(dir, epoch, model.apply(net), improvedBest);
    }

    private static void checkCompatible(Restored r, TrainingConfig cfg) {
        Map<String, String> was = new LinkedHashMap<>(r.model().specs());
        Map<String, String> now = new LinkedHashMap<>(cfg.resultAffecting());
        was.remove(TrainingSettings.EPOCHS.key());
        now.remove(TrainingSettings.EPOCHS.key());
        if (!was.equals(now)) {
            throw new IllegalArgumentException("checkpoint " + r.file() + " was written with " + was
                    + ", not " + now + ": resume with the same settings or use another --checkpoint-dir");
        }
        List<String> features = cfg.featureNames();
        List<String> before = r.model().featureNames().orElse(features);
        if (features != null && !features.equals(before)) {
            throw new IllegalArgumentException("checkpoint " + r.file() + " was trained on features " + before
                    + ", not " + features + ": resume on the same data or use another --checkpoint-dir");
        }
    }

    private static void save(Path dir, int epoch, TrainedModel model, Best improvedBest) {
        try {
            Files.createDirectories(dir);
            model.save(dir.resolve(String.format("epoch-%04d.zip", epoch + 1)));
            if (improvedBest != null) {
                model.save(dir.resolve("best.zip"));
                Properties p = new Properties();
                p.setProperty("epoch", Integer.toString(improvedBest.epoch));
                p.setProperty("score", Double.toString(improvedBest.score));
                try (Writer w = Files.newBufferedWriter(dir.resolve("best.properties"))) {
                    p.store(w, "best validation balanced accuracy so far");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir, e);
        }
    }

    /** The latest checkpoint in {@code dir}, or null when there is none. */
    private static Restored latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        Path latest = null;
        int latestEpoch = -1;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = EPOCH_FILE.matcher(f.getFileName().toString());
                if (m.matches() && Integer.parseInt(m.group(1)) > latestEpoch) {
                    latestEpoch = Integer.parseInt(m.group(1));
                    latest = f;
                }
            }
            if (latest == null) {
                return null;
            }
            Best best = new Best();
            Path props = dir.resolve("best.properties");
            if (Files.exists(props)) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(props)) {
                    p.load(r);
                }
                best.epoch = Integer.parseInt(p.getProperty("epoch"));
                best.score = Double.parseDouble(p.getProperty("score"));
                best.params = TrainedModel.load(dir.resolve("best.zip")).network().params().dup();
            }
            return new Restored(latest, TrainedModel.load(latest), best);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoints in " + dir, e);
        }
    }
}
