package io.github.drsretrybatcher.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged service run as a separate process: {@code target/quarkus-app/quarkus-run.jar} (or the jar named by
 * {@code quarkus.jar}) on this JVM, or the native executable named by {@code native.image.path} when the native
 * profile runs the tests against one.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the service with {@code config} as system properties, logging to {@code target/<name>.log}. */
    public static ServiceProcess start(String name, Map<String, String> config) {
        return start(name, config, System.getProperty("java.home"), List.of());
    }

    /** Starts the jar on the Java of {@code javaHome}, with {@code jvmOptions} before the system properties. */
    public static ServiceProcess start(String name, Map<String, String> config, String javaHome,
            List<String> jvmOptions) {
        int port = KafkaBroker.freePort();
        List<String> properties = new ArrayList<>(jvmOptions);
        properties.add("-Dquarkus.http.port=" + port);
        config.forEach((key, value) -> properties.add("-D" + key + "=" + value));
        List<String> command = command(javaHome, properties, List.of());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", name + ".log").toFile()))
                    .start();
            ServiceProcess service = new ServiceProcess(process, port);
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The command line that starts the packaged service with {@code options} (system properties, {@code -Dkey=value})
     * followed by the program arguments {@code args}: {@code java <options> -jar quarkus-run.jar <args>}, or
     * {@code <native executable> <options> <args>} when {@code native.image.path} is set.
     */
    public static List<String> command(List<String> options, List<String> args) {
        return command(System.getProperty("java.home"), options, args);
    }

    private static List<String> command(String javaHome, List<String> options, List<String> args) {
        List<String> command = new ArrayList<>();
        String nativeImage = System.getProperty("native.image.path", "");
        if (nativeImage.isBlank()) {
            command.add(Paths.get(javaHome, "bin", "java").toString());
            command.addAll(options);
            command.add("-jar");
            command.add(System.getProperty("quarkus.jar", "target/quarkus-app/quarkus-run.jar"));
        } else {
            command.add(nativeImage);
            command.addAll(options);
        }
        command.addAll(args);
        return command;
    }

    private void awaitReady() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> get("/q/health/ready").statusCode() == 200);
    }

    /** The value of a Prometheus gauge or counter without labels, or -1 when absent. */
    public double metric(String name) {
        for (String line : get("/q/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends SIGTERM and returns the exit code (waits at most a minute). */
    public int terminate() {
        process.destroy();
        return exitCode();
    }

    /** Sends SIGKILL: no shutdown hook, nothing flushed. */
    public int kill() {
        process.destroyForcibly();
        return exitCode();
    }

    private int exitCode() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service did not exit within a minute");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
