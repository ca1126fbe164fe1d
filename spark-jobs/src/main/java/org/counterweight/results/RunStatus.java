package org.counterweight.results;

import java.util.Locale;

/** Life cycle of a run. Only {@link #FINISHED} runs are counted by reports. */
public enum RunStatus {
    /** Started (or resumed) and not finished: possibly interrupted. */
    RUNNING,
    /** Every cell was written. */
    FINISHED,
    /** Stopped by an error. */
    FAILED;

    /** The value stored in the {@code status} column. */
    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a stored value. */
    public static RunStatus ofStored(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
