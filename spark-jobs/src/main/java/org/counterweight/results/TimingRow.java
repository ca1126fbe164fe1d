package org.counterweight.results;

/** How long one stage of a cell took (e.g. {@code resample}, {@code train}, {@code evaluate}). */
public record TimingRow(String stage, double seconds) {
}
