package org.counterweight.evaluate;

import java.io.Serializable;

/**
 * One point of a ROC curve (x = false positive rate, y = true positive rate) or a
 * precision–recall curve (x = recall, y = precision) at a score threshold: rows with
 * {@code score >= threshold} are predicted positive.
 */
public record CurvePoint(double threshold, double x, double y) implements Serializable {
}
