package org.counterweight.results;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One cell of an experiment grid: a method evaluated on a dataset with a seed and a fold. A run
 * writes each cell once (atomically); re-writing a cell replaces it.
 *
 * @param dataset dataset name
 * @param method  method spec, e.g. {@code smote(k=5)+ce}
 * @param seed    random seed
 * @param fold    fold index (0 for a single train/test split)
 */
public record CellKey(String dataset, String method, long seed, int fold) {
    /** Checks the names are present. */
    public CellKey {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("cell dataset must not be empty");
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("cell method must not be empty");
        }
        if (fold < 0) {
            throw new IllegalArgumentException("cell fold must be >= 0, got " + fold);
        }
    }

    /**
     * The cell's directory name: a hash of the key, because method specs contain characters
     * ({@code (),=}) that are not safe in partition paths. Starts with a letter so Spark never
     * infers it as a number.
     */
    public String id() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(
                    (dataset + '\u0000' + method + '\u0000' + seed + '\u0000' + fold).getBytes(StandardCharsets.UTF_8));
            return "c" + HexFormat.of().formatHex(h, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
