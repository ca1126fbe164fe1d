package org.counterweight.train;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One model file per epoch ({@code epoch-0001.zip}, with updater state and history) plus the best
 * epoch so far under early stopping ({@code best.zip}, {@code best.properties}). Resuming loads
 * the highest-numbered epoch file; since draws and orders depend only on (seed, epoch), a resumed
 * run continues exactly as an uninterrupted one would.
 */
final class Checkpoints {
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

    /** A checkpoint read back: the model and the best-so-far record. */
    static final class Restored {
        final Path file;
        final TrainedModel model;
        final Best best;

        Restored(Path file, TrainedModel model, Best best) {
            this.file = file;
            this.model = model;
            this.best = best;
        }
    }

    static void save(Path dir, int epoch, TrainedModel model, Best improvedBest) {
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
    static Restored latest(Path dir) {
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
