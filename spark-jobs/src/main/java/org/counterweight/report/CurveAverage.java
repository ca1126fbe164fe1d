package org.counterweight.report;

import java.util.List;

/**
 * Vertical averaging of ROC or precision–recall curves: each curve's y is linearly interpolated at
 * {@value #GRID} evenly spaced x values in [0, 1] and the curves' values are averaged per x.
 */
final class CurveAverage {
    /** Number of x values (0, 0.01, …, 1). */
    static final int GRID = 101;

    private CurveAverage() {
    }

    /** The average of {@code curves} (at least one; each with points in curve order, x non-decreasing). */
    static Charts.Series of(String name, List<ReportQueries.CellCurve> curves) {
        double[] gx = new double[GRID];
        double[] gy = new double[GRID];
        for (int g = 0; g < GRID; g++) {
            gx[g] = (double) g / (GRID - 1);
            double sum = 0;
            for (ReportQueries.CellCurve c : curves) {
                sum += interpolate(c.x(), c.y(), gx[g]);
            }
            gy[g] = sum / curves.size();
        }
        return new Charts.Series(name, gx, gy);
    }

    /**
     * y at {@code x}, linear between the last point at or before x and the next one (at a vertical
     * step, from the step's last point); before the first point its y, past the last point its y.
     */
    static double interpolate(double[] xs, double[] ys, double x) {
        int prev = 0;
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] > x) {
                return xs[i] == xs[prev] ? ys[i] : ys[prev] + (ys[i] - ys[prev]) * (x - xs[prev]) / (xs[i] - xs[prev]);
            }
            prev = i;
        }
        return ys[prev];
    }
}
