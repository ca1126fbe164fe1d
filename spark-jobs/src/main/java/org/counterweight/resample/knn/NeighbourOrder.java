package org.counterweight.resample.knn;

/** Which neighbours a search keeps: the k nearest or the k farthest. */
public enum NeighbourOrder {
    /** Smallest distances first. */
    NEAREST(1.0),
    /** Largest distances first (NearMiss-2). */
    FARTHEST(-1.0);

    /** Keys are {@code sign · distance²}, so "better" is always "smaller key". */
    final double sign;

    NeighbourOrder(double sign) {
        this.sign = sign;
    }
}
