package org.counterweight.experiment;

import java.time.Duration;
import java.util.Locale;

/**
 * Progress of an experiment: cells done of total (finished, failed or resumed), elapsed time and
 * an ETA from the mean time of the cells run so far (cells resumed, or failed without running,
 * do not count towards the rate). Thread-safe: cells may run in parallel.
 */
final class CellProgress {
    private final int total;
    private final int resumed;
    private final long startNanos = System.nanoTime();
    private int finished;
    private int failed;
    private int ran;

    /** {@code resumed}: cells committed by an earlier run of the same id, not run again. */
    CellProgress(int total, int resumed) {
        this.total = total;
        this.resumed = resumed;
    }

    /** A cell ran and was committed. */
    synchronized void cellFinished() {
        finished++;
        ran++;
    }

    /** A cell ran and failed. */
    synchronized void cellFailed() {
        failed++;
        ran++;
    }

    /** {@code n} cells failed without running (their dataset could not be read). */
    synchronized void cellsFailedUnrun(int n) {
        failed += n;
    }

    synchronized int finished() {
        return finished;
    }

    synchronized int failed() {
        return failed;
    }

    int resumed() {
        return resumed;
    }

    private synchronized int done() {
        return resumed + finished + failed;
    }

    /** {@code [3/24] 1m12s elapsed, ETA 8m40s}. */
    synchronized String line() {
        long elapsed = System.nanoTime() - startNanos;
        String eta = ran == 0 ? "?" : format(Duration.ofNanos(elapsed / ran * (total - done())));
        return String.format(Locale.ROOT, "[%d/%d] %s elapsed, ETA %s", done(), total, format(Duration.ofNanos(elapsed)), eta);
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
