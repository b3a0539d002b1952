package io.github.drsretrybatcher.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every knob of one benchmark run, read from system properties ({@code -Dbench.*}). */
public final class BenchSettings {

    /**
     * The JVM flags of the service process: what a small container would give it. One place to change them
     * ({@code -Dbench.service.jvm="..."} overrides them for one run).
     */
    public static final String SERVICE_JVM_FLAGS =
            "-XX:+UseSerialGC -Xmx62m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -Xss512k";

    /** The environment the shipped images give the service: fewer glibc malloc arenas, for a smaller RSS. */
    static final Map<String, String> SERVICE_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    final boolean quick = Boolean.getBoolean("bench.quick");
    final int events = Integer.getInteger("bench.events", quick ? 60_000 : 1_000_000);
    /** The reference pipe gets at least 200,000 records, so that its rate is not mostly warm-up. */
    final int pipeEvents = Integer.getInteger("bench.pipe.events", Math.max(events, 200_000));
    /**
     * Records of a first, unmeasured pass of the pipe: the broker and the pipe's code are compiled by then, so the
     * measured pass is the machine's steady limit rather than its warm-up (0 skips it).
     */
    final int pipeWarmupEvents = Integer.getInteger("bench.pipe.warmup-events", 200_000);
    final int projects = Integer.getInteger("bench.projects", 20);
    final double duplicates = dbl("bench.duplicates", 0.1);
    final int latencyMs = Integer.getInteger("bench.latency.ms", 20);
    final double failureRate = dbl("bench.failure.rate", 0.01);
    final Duration window = duration(System.getProperty("bench.window", "1s"));
    final int maxSize = Integer.getInteger("bench.max-size", 100);
    final int maxBufferedRecords = Integer.getInteger("bench.max-buffered-records", 2_500); // the service default
    final double callsPerSecond = dbl("bench.calls-per-second", 10_000);
    final int partitions = Integer.getInteger("bench.partitions", 6);
    final int latencyPhaseSeconds = Integer.getInteger("bench.latency.seconds", quick ? 8 : 20);
    /** Share of the measured maximum rate at which the latency phase produces. */
    final double latencyLoad = dbl("bench.latency.load", 0.5);
    final long seed = Long.getLong("bench.seed", 42L);
    final List<String> serviceJvmFlags = List.of(System.getProperty("bench.service.jvm", SERVICE_JVM_FLAGS).trim()
            .split("\\s+"));
    /** The Java home whose {@code bin/java} runs the service; the benchmark's own JVM unless set. */
    final String serviceJavaHome = System.getProperty("bench.service.java-home", System.getProperty("java.home"));
    /**
     * Train an AOT cache (JDK 25+, {@code -XX:AOTCacheOutput}) on a short run of the service before the measured
     * run, which then starts with it, as {@code docker/Dockerfile.jvm} does.
     */
    final boolean aot = Boolean.getBoolean("bench.aot");
    final int aotTrainingEvents = Integer.getInteger("bench.aot.training-events", 20_000);
    /** Stop after training: leaves {@code app.aot} beside {@code quarkus-run.jar} (the JVM image's build step). */
    final boolean aotTrainOnly = Boolean.getBoolean("bench.aot.train-only");
    // the reference pipe's producer (and the loader's): picked as the fastest on a 2-core machine
    final int pipeLingerMs = Integer.getInteger("bench.pipe.linger.ms", 10);
    final int pipeBatchBytes = Integer.getInteger("bench.pipe.batch.bytes", 256 * 1024);
    final String pipeCompression = System.getProperty("bench.pipe.compression", "lz4");
    final int pipeCommitMs = Integer.getInteger("bench.pipe.commit.ms", 300);
    final int pipeMaxPollRecords = Integer.getInteger("bench.pipe.max-poll-records", 2000);
    /** Upper bound of each waiting phase (pipe, saturation, drain of the latency phase). */
    final Duration phaseTimeout = Duration.ofSeconds(Long.getLong("bench.phase-timeout.s",
            Math.max(quick ? 90 : 300, events / 1000L)));

    /** A phase fails when the service commits nothing for this long. */
    final Duration stall = Duration.ofSeconds(Long.getLong("bench.stall.s", 30));

    /** The bench's project ids: allowed by the pattern {@code [A-Za-z0-9]{1,64}}. */
    String project(int index) {
        return String.format(Locale.ROOT, "benchp%02d", index);
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("quick", quick);
        map.put("events", events);
        map.put("pipe_events", pipeEvents);
        map.put("pipe_warmup_events", pipeWarmupEvents);
        map.put("projects", projects);
        map.put("duplicates", duplicates);
        map.put("latency_ms", latencyMs);
        map.put("failure_rate", failureRate);
        map.put("window", window.toString());
        map.put("max_size", maxSize);
        map.put("max_buffered_records", maxBufferedRecords);
        map.put("calls_per_second", callsPerSecond);
        map.put("partitions", partitions);
        map.put("latency_phase_seconds", latencyPhaseSeconds);
        map.put("latency_load", latencyLoad);
        map.put("seed", seed);
        map.put("aot", aot);
        map.put("aot_training_events", aotTrainingEvents);
        map.put("pipe_linger_ms", pipeLingerMs);
        map.put("pipe_batch_bytes", pipeBatchBytes);
        map.put("pipe_compression", pipeCompression);
        map.put("pipe_commit_ms", pipeCommitMs);
        map.put("pipe_max_poll_records", pipeMaxPollRecords);
        map.put("phase_timeout_s", phaseTimeout.toSeconds());
        map.put("stall_s", stall.toSeconds());
        return map;
    }

    private static double dbl(String key, double fallback) {
        String value = System.getProperty(key);
        return value == null || value.isBlank() ? fallback : Double.parseDouble(value.trim());
    }

    /** {@code 1s}, {@code 500ms}, {@code 2m} or an ISO-8601 duration. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    }

    /** The same duration in the service's configuration syntax. */
    static String configValue(Duration duration) {
        return duration.toMillis() + "ms";
    }
}
