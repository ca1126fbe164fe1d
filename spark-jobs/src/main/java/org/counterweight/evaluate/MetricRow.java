package org.counterweight.evaluate;

import java.io.Serializable;

/**
 * One value of a metrics table: {@code metric,class,value}. {@code className} is the original
 * label value for per-class metrics and null for overall ones.
 */
public record MetricRow(String metric, String className, double value) implements Serializable {
}
