package io.github.drsretrybatcher.bench;

import io.github.drsretrybatcher.support.KafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged service as a child process started here (not through ServiceProcess, so that the bench has its
 * pid for the memory samples and times the start itself), with a sampler of its resident memory.
 */
final class ServiceRunner implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final List<String> command;
    private final long startNanos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-rss-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long peakHwmKb;
    private volatile long peakRssKb;
    /** (ms since start, RSS MiB) every 200 ms. */
    private final List<double[]> rssSeries = new ArrayList<>();

    private ServiceRunner(Process process, int port, List<String> command, long startNanos) {
        this.process = process;
        this.port = port;
        this.command = command;
        this.startNanos = startNanos;
        sampler.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    }

    static ServiceRunner start(String javaHome, String jar, List<String> jvmFlags, Map<String, String> config,
            Path log) {
        int port = KafkaBroker.freePort();
        List<String> command = new ArrayList<>();
        command.add(Paths.get(javaHome, "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Dquarkus.http.port=" + port);
        new TreeMap<>(config).forEach((key, value) -> command.add("-D" + key + "=" + value));
        // run from the application's directory, as the images do (an AOT cache records relative class paths)
        Path jarPath = Paths.get(jar).toAbsolutePath();
        command.add("-jar");
        command.add(jarPath.getFileName().toString());
        try {
            Files.createDirectories(log.getParent());
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).directory(jarPath.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(BenchSettings.SERVICE_ENV);
            Process process = builder.start();
            return new ServiceRunner(process, port, command, start);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the service", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Polls {@code /q/health/ready} every 50 ms until it answers 200; returns seconds since the process started. */
    double awaitReady() {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Awaitility.await("service ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue()
                        + " before it was ready");
            }
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The service's Prometheus text, or an empty string. */
    String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** One memory sample; the scheduler calls it every 200 ms while the process lives. */
    private void sample() {
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        try {
            long hwm = 0;
            long rss = 0;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                } else if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                }
            }
            peakHwmKb = Math.max(peakHwmKb, hwm);
            peakRssKb = Math.max(peakRssKb, rss);
            synchronized (rssSeries) {
                rssSeries.add(new double[] {(System.nanoTime() - startNanos) / 1e6, rss / 1024.0});
            }
        } catch (IOException gone) {
            sampler.shutdown();
        }
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** The peak resident set size in MiB: the kernel's high-water mark, or the largest sample where it is missing. */
    double peakRssMb() {
        return Math.max(peakHwmKb, peakRssKb) / 1024.0;
    }

    List<double[]> rssSeries() {
        synchronized (rssSeries) {
            return List.copyOf(rssSeries);
        }
    }

    List<String> command() {
        return command;
    }

    /** SIGTERM, then waits up to {@code timeout}; SIGKILL if it is still alive. Returns the exit code or -1. */
    int terminate(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        } finally {
            sampler.shutdownNow();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            terminate(Duration.ofSeconds(40));
        }
    }
}
