package org.counterweight.experiment;

import java.time.Duration;
import java.util.Locale;

/**
 * Progress of an experiment: cells done of total, elapsed time and an ETA from the mean time of
 * the cells run so far (cells skipped on resume do not count towards the rate). Thread-safe: cells
 * may run in parallel.
 */
final class CellProgress {
    private final int total;
    private final long startNanos = System.nanoTime();
    private int done;
    private int ran;

    CellProgress(int total, int alreadyDone) {
        this.total = total;
        this.done = alreadyDone;
    }

    synchronized void cellFinished() {
        done++;
        ran++;
    }

    synchronized int done() {
        return done;
    }

    /** {@code [3/24] 1m12s elapsed, ETA 8m40s}. */
    synchronized String line() {
        long elapsed = System.nanoTime() - startNanos;
        String eta = ran == 0 ? "?" : format(Duration.ofNanos(elapsed / ran * (total - done)));
        return String.format(Locale.ROOT, "[%d/%d] %s elapsed, ETA %s", done, total, format(Duration.ofNanos(elapsed)), eta);
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return s / 3600 + "h" + String.format(Locale.ROOT, "%02d", s % 3600 / 60) + "m";
    }
}
