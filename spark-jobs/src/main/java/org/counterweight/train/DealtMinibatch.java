package org.counterweight.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of minibatch {@code index} of {@code epoch}'s {@link EpochDeal} by the {@link EpochDraw}
 * named {@code draw} of the {@link RowTable} in {@code tableDir}. Training hands minibatches around
 * as paths (DL4J's workers fit path lists), so a dealt minibatch is a path too —
 * {@code <tableDir>class-balanced/epoch-0003/minibatch-0000017} — that is never a file:
 * {@link CachingMinibatchLoader} recognises it and builds the minibatch from the table. The name
 * fixes the contents (the table's directory is unique to its run and holds the deal's seed and
 * batch size).
 */
record DealtMinibatch(String tableDir, String draw, int epoch, int index) {
    private static final Pattern PATH = Pattern.compile("(.*/)([a-z-]+)/epoch-(\\d+)/minibatch-(\\d+)");

    /** The path naming this minibatch. */
    String path() {
        return tableDir + draw + String.format("/epoch-%04d/minibatch-%07d", epoch, index);
    }

    /** The dealt minibatch {@code path} names, or null when it names a file. */
    static DealtMinibatch parse(String path) {
        Matcher m = PATH.matcher(path);
        return m.matches()
                ? new DealtMinibatch(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))
                : null;
    }
}
