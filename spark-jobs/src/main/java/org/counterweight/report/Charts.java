package org.counterweight.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn with XChart and exported as SVG (no fonts or network needed to view). */
final class Charts {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;

    /** An x/y series. */
    record Series(String name, double[] x, double[] y) {
    }

    /** A dated series (one point per run). */
    record DatedSeries(String name, List<Date> x, List<Double> y) {
    }

    private Charts() {
    }

    /** Grouped bars: one group per category, one bar per series. */
    static String bars(String title, String xTitle, String yTitle, List<String> categories, Map<String, List<Double>> series) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setOverlapped(false);
        series.forEach((name, values) -> chart.addSeries(name, categories, new ArrayList<Number>(values)));
        return svg(chart);
    }

    /** Lines on the unit square, e.g. ROC (with the chance diagonal) or precision–recall curves. */
    static String curves(String title, String xTitle, String yTitle, List<Series> series, boolean diagonal) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        for (Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.NONE);
        }
        if (diagonal) {
            XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
            chance.setMarker(SeriesMarkers.NONE);
            chance.setLineColor(Color.GRAY);
        }
        return svg(chart);
    }

    /** A metric over time, one line per series. */
    static String trend(String title, String yTitle, List<DatedSeries> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("run started").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        // Scheduled runs are days apart; runs within one day (tests, reruns) need the time of day.
        long first = series.stream().flatMap(s -> s.x().stream()).mapToLong(Date::getTime).min().orElse(0);
        long last = series.stream().flatMap(s -> s.x().stream()).mapToLong(Date::getTime).max().orElse(0);
        chart.getStyler().setDatePattern(last - first < 86_400_000L ? "HH:mm:ss" : "yyyy-MM-dd");
        for (DatedSeries s : series) {
            chart.addSeries(s.name(), s.x(), s.y());
        }
        return svg(chart);
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setAntiAlias(true);
    }

    private static String svg(Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsFormat.SVG);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
