package org.counterweight.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.counterweight.report.ReportQueries.CellCurve;
import org.junit.jupiter.api.Test;

/** Vertical averaging: linear interpolation, steps, ends, and the mean over curves. */
class CurveAverageTest {

    @Test
    void interpolatesLinearlyAndTakesTheLastPointOfAStep() {
        double[] x = {0, 0.2, 0.2, 1};
        double[] y = {0, 0.4, 0.8, 1};
        assertEquals(0.2, CurveAverage.interpolate(x, y, 0.1), 1e-15);
        assertEquals(0.8, CurveAverage.interpolate(x, y, 0.2), "at a step: its last point");
        assertEquals(0.9, CurveAverage.interpolate(x, y, 0.6), 1e-15);
        assertEquals(1.0, CurveAverage.interpolate(x, y, 1.0));
        assertEquals(0.3, CurveAverage.interpolate(new double[] {0.5, 1}, new double[] {0.3, 0.7}, 0.1), "before the first point");
    }

    @Test
    void averagesTheCurvesOnAGridOfOneHundredSteps() {
        CellCurve diagonal = new CellCurve("d", "m", "roc", 1, 0, new double[] {0, 1}, new double[] {0, 1});
        CellCurve top = new CellCurve("d", "m", "roc", 2, 0, new double[] {0, 0, 1}, new double[] {0, 1, 1});
        Charts.Series s = CurveAverage.of("m", List.of(diagonal, top));
        assertEquals(CurveAverage.GRID, s.x().length);
        assertEquals(0.25, s.x()[25]);
        assertEquals((0.25 + 1) / 2, s.y()[25], 1e-15);
        assertEquals(1.0, s.y()[CurveAverage.GRID - 1]);
    }
}
