package io.github.drsretrybatcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes report.json, report.md and report.png (latency histogram, throughput over time, memory). */
final class ReportWriter {

    /** The keys of the table and the summary, in order. */
    private static final List<String> KEYS = List.of("events", "unique_jobs", "seconds", "events_per_s",
            "pipe_events_per_s", "ratio_vs_pipe", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "api_calls",
            "naive_api_calls", "batch_fill", "rss_mb_peak", "ready_s");

    private ReportWriter() {
    }

    static void write(Path dir, Map<String, Object> report, long[] latencies, List<double[]> throughput,
            double pipeRate, List<double[]> rss, double readyS) throws IOException {
        writeJson(dir, report);
        Files.writeString(dir.resolve("report.md"), markdown(report));
        chart(dir.resolve("report.png"), report, latencies, throughput, pipeRate, rss, readyS);
    }

    static void writeJson(Path dir, Map<String, Object> report) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(dir.resolve("report.json"), mapper.writeValueAsString(report) + "\n");
    }

    static String summary(Map<String, Object> report) {
        StringBuilder out = new StringBuilder("\n=== drs-retry-batcher benchmark ===\n");
        for (String key : KEYS) {
            out.append(String.format(Locale.ROOT, "%-20s %s%n", key, report.get(key)));
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> report) {
        Map<String, Object> settings = (Map<String, Object>) report.get("settings");
        StringBuilder md = new StringBuilder("# drs-retry-batcher benchmark\n\n");
        md.append(String.format(Locale.ROOT, "%s, %s cores, Java %s, service JVM `%s`%s.%n%n",
                settings.get("date"), settings.get("cores"), settings.get("java_version"),
                settings.get("service_jvm_flags"), Boolean.TRUE.equals(settings.get("quick")) ? ", quick run" : ""));
        md.append("| metric | value | meaning |\n|---|---:|---|\n");
        Map<String, String> meaning = Map.ofEntries(
                Map.entry("events", "task-failed events pre-loaded for the saturation run"),
                Map.entry("unique_jobs", "distinct job ids among them"),
                Map.entry("seconds", "service ready → last outcome of the backlog"),
                Map.entry("events_per_s", "events ÷ seconds"),
                Map.entry("pipe_events_per_s", "plain kafka-clients consume→produce on the same broker"),
                Map.entry("ratio_vs_pipe", "events_per_s ÷ pipe_events_per_s"),
                Map.entry("latency_ms_p50", "input record → outcome record, at half of events_per_s"),
                Map.entry("latency_ms_p95", ""),
                Map.entry("latency_ms_p99", ""),
                Map.entry("api_calls", "batch-retry-task calls for the backlog"),
                Map.entry("naive_api_calls", "one call per event"),
                Map.entry("batch_fill", "mean jobs per call ÷ batch.max-size"),
                Map.entry("rss_mb_peak", "service process VmHWM"),
                Map.entry("ready_s", "process start → /q/health/ready 200"));
        for (String key : KEYS) {
            md.append("| `").append(key).append("` | ").append(report.get(key)).append(" | ")
                    .append(meaning.getOrDefault(key, "")).append(" |\n");
        }
        md.append("\nSettings: ");
        for (String key : List.of("events", "projects", "duplicates", "latency_ms", "failure_rate", "window",
                "max_size", "max_buffered_records", "partitions", "latency_phase_seconds", "pipe_compression",
                "pipe_linger_ms", "pipe_batch_bytes")) {
            md.append('`').append(key).append('=').append(settings.get(key)).append("` ");
        }
        md.append("\n\nLoad average before/after: ").append(settings.get("load_average_before")).append(" / ")
                .append(settings.get("load_average_after")).append(". Full data: `report.json`; chart: `report.png`.\n");
        return md.toString();
    }

    private static void chart(Path file, Map<String, Object> report, long[] latencies, List<double[]> throughput,
            double pipeRate, List<double[]> rss, double readyS) throws IOException {
        // latency histogram, clamped at p99.9 so that a few stragglers do not flatten it
        long clamp = Math.max(1, Benchmark.percentile(latencies, 99.9));
        double[] values = new double[latencies.length];
        for (int i = 0; i < latencies.length; i++) {
            values[i] = Math.min(latencies[i], clamp);
        }
        HistogramDataset histogram = new HistogramDataset();
        histogram.addSeries("events", values, 60, 0, clamp);
        JFreeChart latency = ChartFactory.createHistogram(String.format(Locale.ROOT,
                "Latency input → outcome at %.0f events/s (p50 %s, p95 %s, p99 %s ms; clamped at p99.9 = %d ms)",
                ((Number) detail(report, "latency_phase_target_rate")).doubleValue(), report.get("latency_ms_p50"),
                report.get("latency_ms_p95"), report.get("latency_ms_p99"), clamp),
                "latency (ms)", "events", histogram, PlotOrientation.VERTICAL, false, false, false);
        for (String key : List.of("latency_ms_p50", "latency_ms_p95", "latency_ms_p99")) {
            ValueMarker marker = new ValueMarker(((Number) report.get(key)).doubleValue(), Color.DARK_GRAY,
                    new java.awt.BasicStroke(1.5f));
            marker.setLabel(key.substring("latency_ms_".length()));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            latency.getXYPlot().addDomainMarker(marker);
        }

        XYSeries served = new XYSeries("service (events/s, by outcome time)");
        for (double[] point : throughput) {
            served.add(point[0], point[1]);
        }
        XYSeriesCollection rates = new XYSeriesCollection(served);
        JFreeChart rate = ChartFactory.createXYLineChart(String.format(Locale.ROOT,
                "Backlog of %s events: %s events/s (reference pipe %.0f events/s)", report.get("events"),
                report.get("events_per_s"), pipeRate),
                "seconds since the service was ready", "events/s", rates, PlotOrientation.VERTICAL, true, false, false);
        XYPlot ratePlot = rate.getXYPlot();
        LogAxis logAxis = new LogAxis("events/s (log scale)");
        logAxis.setBase(10);
        logAxis.setSmallestValue(10);
        logAxis.setRange(Math.max(10, served.getMinY() / 2), Math.max(pipeRate, served.getMaxY()) * 2);
        logAxis.setTickUnit(new NumberTickUnit(1.0));
        logAxis.setMinorTickCount(9);
        logAxis.setMinorTickMarksVisible(true);
        logAxis.setNumberFormatOverride(new DecimalFormat("#,##0"));
        ratePlot.setRangeAxis(logAxis);
        ValueMarker mean = new ValueMarker(((Number) report.get("events_per_s")).doubleValue(), Color.BLUE,
                new java.awt.BasicStroke(1.0f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
        mean.setLabel("service events_per_s");
        mean.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
        mean.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        ratePlot.addRangeMarker(mean);
        ValueMarker pipe = new ValueMarker(pipeRate, Color.RED, new java.awt.BasicStroke(1.5f));
        pipe.setLabel("reference pipe");
        pipe.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        pipe.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        ratePlot.addRangeMarker(pipe);

        XYSeries memory = new XYSeries("service RSS (MiB)");
        for (double[] point : rss) {
            memory.add(point[0] / 1000.0 - readyS, point[1]);
        }
        JFreeChart rssChart = ChartFactory.createXYLineChart(String.format(Locale.ROOT,
                "Service resident memory (peak %s MiB), whole run", report.get("rss_mb_peak")),
                "seconds since the service was ready", "MiB", new XYSeriesCollection(memory),
                PlotOrientation.VERTICAL, false, false, false);

        int width = 1200;
        int[] heights = {420, 420, 300};
        BufferedImage image = new BufferedImage(width, heights[0] + heights[1] + heights[2], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            int y = 0;
            JFreeChart[] charts = {latency, rate, rssChart};
            for (int i = 0; i < charts.length; i++) {
                charts[i].getTitle().setFont(charts[i].getTitle().getFont().deriveFont(14f));
                charts[i].draw(g, new Rectangle2D.Double(0, y, width, heights[i]));
                y += heights[i];
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    @SuppressWarnings("unchecked")
    private static Object detail(Map<String, Object> report, String key) {
        return ((Map<String, Object>) report.get("details")).get(key);
    }
}
