package io.github.drsretrybatcher.bench;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.KafkaBroker;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One benchmark run on this machine ({@code mvn -B -ntp -Pbench verify}, {@code -Dbench.quick=true} for a short
 * one): a fresh Kafka broker and DRS simulator; the reference pipe (plain kafka-clients consume-produce, "the
 * machine's limit"); the packaged service draining a pre-loaded backlog (throughput, API calls, memory); the
 * service under half that rate (per-event latency). Writes {@code target/bench/report.json}, {@code report.md}
 * and {@code report.png}. Everything it starts, it stops, within bounded time.
 */
public final class Benchmark {

    static final String PIPE_IN = "bench.pipe.in";
    static final String PIPE_OUT = "bench.pipe.out";
    static final String PIPE_WARMUP_IN = "bench.pipe.warmup.in";
    static final String PIPE_WARMUP_OUT = "bench.pipe.warmup.out";
    private static final String TRAIN = "bench.train";
    /** Written beside quarkus-run.jar, where the service's working directory is. */
    private static final String AOT_CACHE = "app.aot";
    private static final Duration SHUTDOWN = Duration.ofSeconds(40);

    private final BenchSettings settings = new BenchSettings();
    private final Path output = Path.of(System.getProperty("bench.output", "target/bench")).toAbsolutePath();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong apiJobs = new AtomicLong();
    private final AtomicLong apiNon200 = new AtomicLong();

    private volatile KafkaBroker broker;
    private volatile DrsSimulator drs;
    private volatile ServiceRunner service;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Benchmark benchmark = new Benchmark();
        Thread hook = new Thread(benchmark::stopAll, "bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            benchmark.run();
        } finally {
            benchmark.stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private final Map<String, Object> details = new LinkedHashMap<>();
    private Map<String, String> configUsed = Map.of();
    private List<String> serviceCommand = List.of();
    private long runStart;
    private String loadBefore;

    private void run() throws Exception {
        runStart = System.nanoTime();
        Files.createDirectories(output);
        Files.deleteIfExists(output.resolve("report.json"));
        Files.deleteIfExists(output.resolve("report.md"));
        Files.deleteIfExists(output.resolve("report.png"));
        loadBefore = loadAverage();
        log("settings: %s", settings.asMap());
        try {
            measure();
        } catch (Exception | Error e) {
            // what was measured so far, and why it stopped: a failed run still leaves its evidence
            report.put("status", "FAILED");
            report.put("error", e.toString());
            ServiceRunner running = service;
            if (running != null) {
                details.put("rss_mb_peak_so_far", round(running.peakRssMb(), 1));
            }
            details.put("service_log_out_of_memory", serviceLogMentions("OutOfMemoryError"));
            report.put("details", details);
            report.put("settings", environment(configUsed, serviceCommand, loadBefore, runStart));
            ReportWriter.writeJson(output, report);
            log("FAILED: %s; partial report in %s", e, output.resolve("report.json"));
            throw e;
        }
    }

    private void measure() throws Exception {

        broker = KafkaBroker.start();
        String bootstrap = broker.bootstrapServers();
        log("broker on %s", bootstrap);
        try (BenchKafka kafka = new BenchKafka(bootstrap)) {
            kafka.createTopics(settings.partitions, KafkaTestClient.INPUT, KafkaTestClient.OUTCOMES,
                    KafkaTestClient.DEAD_LETTERS, PIPE_IN, PIPE_OUT, PIPE_WARMUP_IN, PIPE_WARMUP_OUT);

            drs = new DrsSimulator(PipelineResource.TOKEN).latency(Duration.ofMillis(settings.latencyMs))
                    .itemFailureRate(settings.failureRate);
            drs.server().addMockServiceRequestListener((request, response) -> {
                if (request.getUrl().contains("/jobs/batch-retry-task")) {
                    apiCalls.incrementAndGet();
                    apiJobs.addAndGet(occurrences(request.getBodyAsString(), "\"job_id\""));
                    if (response.getStatus() != 200) {
                        apiNon200.incrementAndGet();
                    }
                }
            });

            String jar = System.getProperty("quarkus.jar", "target/quarkus-app/quarkus-run.jar");
            List<String> jvmFlags = settings.serviceJvmFlags;
            if (settings.aot) {
                trainAotCache(kafka, bootstrap, jar);
                if (settings.aotTrainOnly) {
                    return;
                }
                jvmFlags = new ArrayList<>(jvmFlags);
                jvmFlags.add("-XX:AOTCache=" + AOT_CACHE);
            }

            // 3. the reference pipe: an unmeasured pass first, then the measured one
            if (settings.pipeWarmupEvents > 0) {
                ReferencePipe.Result warm = referencePipe(kafka, PIPE_WARMUP_IN, PIPE_WARMUP_OUT,
                        settings.pipeWarmupEvents, "warm");
                log("reference pipe, warm-up pass: %d records at %.0f events/s", warm.records(),
                        warm.eventsPerSecond());
            }
            ReferencePipe.Result pipe = referencePipe(kafka, PIPE_IN, PIPE_OUT, settings.pipeEvents, "pipe");
            log("reference pipe: %d records in %.2f s = %.0f events/s", pipe.records(), pipe.seconds(),
                    pipe.eventsPerSecond());
            details.put("pipe_events_per_s", round(pipe.eventsPerSecond(), 1));

            // 4. the service on a backlog
            EventGenerator events = new EventGenerator(settings, settings.seed, "job");
            long loadStart = System.nanoTime();
            kafka.load(settings, KafkaTestClient.INPUT, 0, settings.events, events::next);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long uniqueJobs = events.uniqueJobs();
            log("loaded %d events (%d unique jobs) in %.1f s", settings.events, uniqueJobs, loadSeconds);

            Map<String, String> config = serviceConfig(bootstrap);
            configUsed = config;
            service = ServiceRunner.start(settings.serviceJavaHome, jar, jvmFlags, config,
                    output.resolve("service.log"));
            serviceCommand = service.command();
            double readyS = service.awaitReady();
            details.put("ready_s", round(readyS, 3));
            long readyMs = System.currentTimeMillis();
            log("service ready after %.2f s (pid %d)", readyS, service.pid());
            awaitDrained(kafka, service, "saturation", KafkaTestClient.GROUP, KafkaTestClient.INPUT,
                    settings.events);
            long saturationCalls = apiCalls.get();
            long saturationJobs = apiJobs.get();

            BitSet seen = new BitSet(settings.events);
            long[] firstLast = {Long.MAX_VALUE, Long.MIN_VALUE};
            long bucketMs = 1000;
            Map<Long, Long> perBucket = new HashMap<>();
            OutcomeScan saturation = new OutcomeScan();
            kafka.read(KafkaTestClient.OUTCOMES, null, record -> saturation.accept(record, (n, ts) -> {
                if (n < settings.events && !seen.get((int) n)) {
                    seen.set((int) n);
                    firstLast[0] = Math.min(firstLast[0], ts);
                    firstLast[1] = Math.max(firstLast[1], ts);
                    perBucket.merge(Math.floorDiv(ts - readyMs, bucketMs), 1L, Long::sum);
                }
            }), settings.phaseTimeout);
            long covered = seen.cardinality();
            long deadLetters = kafka.read(KafkaTestClient.DEAD_LETTERS, null, r -> { }, settings.phaseTimeout);
            if (covered < settings.events) {
                throw new IllegalStateException((settings.events - covered) + " of " + settings.events
                        + " events have no outcome (dead letters: " + deadLetters + "); see " + output.resolve("service.log"));
            }
            double seconds = (firstLast[1] - readyMs) / 1000.0;
            double eventsPerSecond = settings.events / seconds;
            details.put("events_per_s", round(eventsPerSecond, 1));
            log("service: %d events in %.2f s after ready = %.0f events/s; %d calls, %d outcomes", settings.events,
                    seconds, eventsPerSecond, saturationCalls, saturation.records);

            // 5. latency at a fixed share of that rate
            Map<TopicPartition, Long> outcomesBefore = kafka.endOffsets(KafkaTestClient.OUTCOMES);
            double rate = eventsPerSecond * settings.latencyLoad;
            int latencyEvents = (int) Math.max(1, Math.round(rate * settings.latencyPhaseSeconds));
            long[] sentAt = new long[latencyEvents];
            long[] decidedAt = new long[latencyEvents];
            Arrays.fill(decidedAt, -1);
            EventGenerator fresh = new EventGenerator(settings, settings.seed + 1, "lat");
            log("latency phase: %d events at %.0f events/s for %d s", latencyEvents, rate, settings.latencyPhaseSeconds);
            double producedSeconds = producePaced(kafka, fresh, latencyEvents, rate, sentAt);
            awaitDrained(kafka, service, "latency", KafkaTestClient.GROUP, KafkaTestClient.INPUT, latencyEvents);
            long latencyCalls = apiCalls.get() - saturationCalls;
            OutcomeScan latencyScan = new OutcomeScan();
            long base = settings.events;
            kafka.read(KafkaTestClient.OUTCOMES, outcomesBefore, record -> latencyScan.accept(record, (n, ts) -> {
                if (n >= base && n < base + latencyEvents) {
                    int i = (int) (n - base);
                    decidedAt[i] = decidedAt[i] < 0 ? ts : Math.min(decidedAt[i], ts);
                }
            }), settings.phaseTimeout);
            long[] latencies = IntStream.range(0, latencyEvents).filter(i -> decidedAt[i] >= 0)
                    .mapToLong(i -> decidedAt[i] - sentAt[i]).sorted().toArray();
            if (latencies.length < latencyEvents) {
                throw new IllegalStateException((latencyEvents - latencies.length) + " of " + latencyEvents
                        + " latency-phase events have no outcome");
            }
            String metrics = service.metrics();
            int exit = service.terminate(SHUTDOWN);
            log("service stopped, exit code %d", exit);
            double rssPeak = service.peakRssMb();
            List<double[]> rss = service.rssSeries();

            // 6. the report
            int verified = drs.requests().size();
            report.put("events", settings.events);
            report.put("unique_jobs", uniqueJobs);
            report.put("seconds", round(seconds, 3));
            report.put("events_per_s", round(eventsPerSecond, 1));
            report.put("pipe_events_per_s", round(pipe.eventsPerSecond(), 1));
            report.put("ratio_vs_pipe", round(eventsPerSecond / pipe.eventsPerSecond(), 4));
            report.put("latency_ms_p50", percentile(latencies, 50));
            report.put("latency_ms_p95", percentile(latencies, 95));
            report.put("latency_ms_p99", percentile(latencies, 99));
            report.put("latency_ms_max", latencies[latencies.length - 1]);
            report.put("latency_ms_mean", round(Arrays.stream(latencies).average().orElse(0), 1));
            report.put("api_calls", saturationCalls);
            report.put("batch_fill", round((double) saturationJobs / saturationCalls / settings.maxSize, 4));
            report.put("naive_api_calls", settings.events);
            report.put("rss_mb_peak", round(rssPeak, 1));
            report.put("ready_s", round(readyS, 3));
            details.remove("ready_s");
            details.remove("pipe_events_per_s");
            details.remove("events_per_s");
            details.put("pipe_seconds", round(pipe.seconds(), 3));
            details.put("pipe_events", pipe.records());
            details.put("pipe_commits", pipe.commits());
            details.put("load_seconds", round(loadSeconds, 3));
            details.put("first_outcome_after_ready_s", round((firstLast[0] - readyMs) / 1000.0, 3));
            details.put("seconds_first_to_last_outcome", round((firstLast[1] - firstLast[0]) / 1000.0, 3));
            details.put("saturation_outcomes", saturation.records);
            details.put("saturation_outcomes_by_type", saturation.outcomes);
            details.put("saturation_jobs_in_calls", saturationJobs);
            details.put("mean_jobs_per_call", round((double) saturationJobs / saturationCalls, 2));
            details.put("api_non_200_answers", apiNon200.get());
            details.put("api_calls_total_incl_latency_phase", apiCalls.get());
            details.put("api_calls_in_simulator_journal", verified);
            // the simulator's own time per call (latency included), to tell its share from the service's
            details.put("simulator_serve_ms_mean", round(drs.server().getAllServeEvents().stream()
                    .mapToLong(event -> event.getTiming().getTotalTime()).average().orElse(0), 1));
            details.put("dead_letters", deadLetters);
            details.put("latency_phase_events", latencyEvents);
            details.put("latency_phase_target_rate", round(rate, 1));
            details.put("latency_phase_achieved_rate", round(latencyEvents / producedSeconds, 1));
            details.put("latency_phase_api_calls", latencyCalls);
            details.put("latency_phase_outcomes", latencyScan.records);
            details.put("latency_phase_outcomes_by_type", latencyScan.outcomes);
            details.put("service_exit_code", exit);
            details.put("service_metrics", pickMetrics(metrics));
            details.put("service_api_call_mean_ms", meanMs(metrics, "drs_batcher_api_call_seconds"));
            // CPU per record is steadier than events/s on a shared machine: compare it between runs
            double cpuSeconds = sumOf(metrics, "process_cpu_time_ns_total") / 1e9;
            details.put("service_cpu_s", round(cpuSeconds, 1));
            double received = sumOf(metrics, "drs_batcher_records_received_total");
            details.put("service_cpu_us_per_record", round(cpuSeconds * 1e6 / received, 1));
            // allocation and promotion per record do not depend on the machine's other load at all
            details.put("service_alloc_kb_per_record",
                    round(sumOf(metrics, "jvm_gc_memory_allocated_bytes_total") / 1024 / received, 2));
            details.put("service_promoted_kb_per_record",
                    round(sumOf(metrics, "jvm_gc_memory_promoted_bytes_total") / 1024 / received, 2));
            details.put("service_gc_pause_s", round(sumOf(metrics, "jvm_gc_pause_seconds_sum"), 1));
            details.put("service_full_gcs",
                    (long) sumOf(metrics, "jvm_gc_pause_seconds_count{action=\"end of major GC\""));
            report.put("details", details);
            report.put("status", "OK");
            report.put("settings", environment(config, serviceCommand, loadBefore, runStart));

            List<double[]> throughput = perBucket.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> new double[] {e.getKey() * bucketMs / 1000.0, e.getValue() * 1000.0 / bucketMs})
                    .toList();
            ReportWriter.write(output, report, latencies, throughput, pipe.eventsPerSecond(), rss, readyS);
            log("report: %s", output.resolve("report.json"));
            System.out.println(ReportWriter.summary(report));
        }
    }

    private Map<String, String> serviceConfig(String bootstrap) {
        Map<String, String> config = new HashMap<>(PipelineResource.settings(bootstrap, drs.endpointTemplate()));
        config.put("drs.allowed-projects", IntStream.range(0, settings.projects).mapToObj(settings::project)
                .collect(Collectors.joining(",")));
        config.put("batch.window", BenchSettings.configValue(settings.window));
        config.put("batch.max-size", String.valueOf(settings.maxSize));
        config.put("batch.max-buffered-records", String.valueOf(settings.maxBufferedRecords));
        config.put("drs.rate.calls-per-second", String.valueOf(settings.callsPerSecond));
        config.put("retry.cooldown", "0s");
        config.put("retry.max-per-job", "1000000");
        return config;
    }

    /** Loads {@code records} events into {@code input}, then runs the reference pipe on them into {@code output}. */
    private ReferencePipe.Result referencePipe(BenchKafka kafka, String input, String output, int records,
            String jobPrefix) {
        EventGenerator events = new EventGenerator(settings, settings.seed, jobPrefix);
        kafka.load(settings, input, 0, records, events::next);
        log("reference pipe: %d records loaded into %s, running", records, input);
        return ReferencePipe.run(kafka, settings, input, output, "bench-reference-" + jobPrefix, records);
    }

    /**
     * Runs the service on {@code bench.aot.training-events} events of its own topics (input, outputs, retry budget
     * and consumer group), with {@code -XX:AOTCacheOutput}: the JVM writes the AOT cache as it exits. The counters
     * of the simulator start again from zero afterwards.
     */
    private void trainAotCache(BenchKafka kafka, String bootstrap, String jar) throws IOException {
        Path cache = Path.of(jar).toAbsolutePath().getParent().resolve(AOT_CACHE);
        Files.deleteIfExists(cache);
        String input = TRAIN + ".in";
        kafka.createTopics(settings.partitions, input, TRAIN + ".out", TRAIN + ".dlq");
        EventGenerator events = new EventGenerator(settings, settings.seed + 2, "train");
        kafka.load(settings, input, 0, settings.aotTrainingEvents, events::next);
        Map<String, String> config = serviceConfig(bootstrap);
        config.put("mp.messaging.incoming.task-failed.topic", input);
        config.put("mp.messaging.incoming.task-failed.group.id", TRAIN);
        config.put("mp.messaging.outgoing.retry-outcome.topic", TRAIN + ".out");
        config.put("mp.messaging.outgoing.dead-letter.topic", TRAIN + ".dlq");
        config.put("retry.topic", TRAIN + ".budget");
        List<String> flags = new ArrayList<>(settings.serviceJvmFlags);
        flags.add("-XX:AOTCacheOutput=" + AOT_CACHE);
        long start = System.nanoTime();
        try (ServiceRunner trainee = ServiceRunner.start(settings.serviceJavaHome, jar, flags, config,
                output.resolve("service-aot-training.log"))) {
            trainee.awaitReady();
            awaitDrained(kafka, trainee, "aot-training", TRAIN, input, settings.aotTrainingEvents);
            int exit = trainee.terminate(Duration.ofMinutes(3));
            if (exit != 0 || !Files.isRegularFile(cache)) {
                throw new IllegalStateException("the training run wrote no AOT cache (exit code " + exit + "); see "
                        + output.resolve("service-aot-training.log"));
            }
        }
        details.put("aot_cache_mb", round(Files.size(cache) / 1048576.0, 1));
        details.put("aot_training_s", round((System.nanoTime() - start) / 1e9, 1));
        log("AOT cache %s (%.0f MB) from a run of %d events", cache, Files.size(cache) / 1048576.0,
                settings.aotTrainingEvents);
        apiCalls.set(0);
        apiJobs.set(0);
        apiNon200.set(0);
        drs.server().resetRequests();
    }

    /**
     * Waits until the service has committed every input record (so every outcome is on the broker); gives up when
     * the phase takes longer than its bound or the service stops making progress for {@code bench.stall.s}.
     */
    private void awaitDrained(BenchKafka kafka, ServiceRunner service, String phase, String group, String topic,
            long records) {
        long[] best = {Long.MAX_VALUE, System.nanoTime()};
        long[] lastLog = {System.nanoTime()};
        try {
            Awaitility.await(phase).atMost(settings.phaseTimeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                long lag = kafka.lag(group, topic);
                details.put(phase + "_records_not_committed", lag);
                if (lag == 0) {
                    details.remove(phase + "_records_not_committed");
                    return true;
                }
                if (lag < best[0]) {
                    best[0] = lag;
                    best[1] = System.nanoTime();
                } else if (System.nanoTime() - best[1] > settings.stall.toNanos()) {
                    throw new IllegalStateException("the service made no progress for " + settings.stall.toSeconds()
                            + " s in the " + phase + " phase (" + lag + " of " + records
                            + " records not committed); see " + output.resolve("service.log"));
                }
                if (!service.alive()) {
                    throw new IllegalStateException("the service died during the " + phase + " phase; see "
                            + output.resolve("service.log"));
                }
                if (System.nanoTime() - lastLog[0] > TimeUnit.SECONDS.toNanos(10)) {
                    log("%s: %d records left", phase, lag);
                    lastLog[0] = System.nanoTime();
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the " + phase + " phase did not finish within "
                    + settings.phaseTimeout + ": " + details.get(phase + "_records_not_committed")
                    + " records not committed");
        }
    }

    /** Produces {@code count} fresh events at {@code rate} per second; returns the seconds it took. */
    private double producePaced(BenchKafka kafka, EventGenerator generator, int count, double rate, long[] sentAt)
            throws InterruptedException {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        long deadline = start + (long) ((count / rate) * 2e9) + TimeUnit.SECONDS.toNanos(30);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(settings, 1)) {
            int sent = 0;
            while (sent < count) {
                if (failed.get() != null) {
                    throw new IllegalStateException("producing the latency events failed", failed.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("producing the latency events fell behind");
                }
                long due = Math.min(count, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
                for (; sent < due; sent++) {
                    EventGenerator.Event event = generator.next(settings.events + (long) sent);
                    long now = System.currentTimeMillis();
                    sentAt[sent] = now;
                    producer.send(new ProducerRecord<>(KafkaTestClient.INPUT, null, now, event.key(), event.value()),
                            (md, e) -> {
                                if (e != null) {
                                    failed.compareAndSet(null, e);
                                }
                            });
                }
                // pacing, not waiting for a result: park until the next event is due
                long nextDue = start + (long) ((sent + 1) / rate * 1e9);
                LockSupport.parkNanos(Math.max(0, nextDue - System.nanoTime()));
            }
            producer.flush();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private Map<String, Object> environment(Map<String, String> config, List<String> command, String loadBefore,
            long runStart) {
        Map<String, Object> env = new LinkedHashMap<>(settings.asMap());
        env.put("service_jvm_flags", String.join(" ", settings.serviceJvmFlags));
        env.put("service_env", BenchSettings.SERVICE_ENV);
        env.put("service_jvm_flags_note", "measured with " + BenchSettings.SERVICE_JVM_FLAGS
                + " (BenchSettings.SERVICE_JVM_FLAGS; -Dbench.service.jvm overrides)");
        Map<String, String> shown = new java.util.TreeMap<>(config);
        shown.replaceAll((k, v) -> k.contains("token") || k.endsWith(".sk") || k.contains("password") ? "***" : v);
        env.put("service_config", shown);
        env.put("service_command", command.stream()
                .map(a -> a.contains("auth.token=") ? a.substring(0, a.indexOf('=') + 1) + "***" : a).toList());
        env.put("broker_jvm_flags", "-Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 (KafkaBroker)");
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("memory_total_mb", memTotalMb());
        env.put("java_version", System.getProperty("java.version"));
        env.put("service_java_home", settings.serviceJavaHome);
        env.put("service_java_version", javaVersion(settings.serviceJavaHome));
        env.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("date", OffsetDateTime.now(ZoneOffset.UTC).toString());
        env.put("load_average_before", loadBefore);
        env.put("load_average_after", loadAverage());
        env.put("git_commit", git("rev-parse", "HEAD"));
        env.put("git_dirty", !git("status", "--porcelain").isEmpty());
        env.put("bench_wall_seconds", round((System.nanoTime() - runStart) / 1e9, 1));
        env.put("bench_jvm_max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return env;
    }

    /** The service's metrics the report keeps (Prometheus names, matched as prefixes). */
    private static final List<String> KEPT_METRICS = List.of("drs_batcher_batch_size_jobs_count",
            "drs_batcher_batch_size_jobs_sum", "drs_batcher_records_received_total", "drs_batcher_dead_letters_total",
            "drs_batcher_api_call_seconds_count", "drs_batcher_api_call_seconds_sum", "jvm_gc_pause_seconds_count",
            "jvm_gc_pause_seconds_sum", "jvm_gc_memory_allocated_bytes_total", "jvm_gc_memory_promoted_bytes_total",
            "process_cpu_time_ns_total");

    private static Map<String, Object> pickMetrics(String text) {
        Map<String, Object> picked = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space > 0 && KEPT_METRICS.stream().anyMatch(line::startsWith)) {
                picked.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return picked;
    }

    /** Stops the service, the simulator and the broker (each at most once, each bounded in time). */
    private synchronized void stopAll() {
        ServiceRunner s = service;
        service = null;
        if (s != null) {
            s.close();
        }
        DrsSimulator d = drs;
        drs = null;
        if (d != null) {
            d.close();
        }
        KafkaBroker b = broker;
        broker = null;
        if (b != null) {
            b.close();
        }
    }

    private boolean serviceLogMentions(String text) {
        try (Stream<String> lines = Files.lines(output.resolve("service.log"))) {
            return lines.anyMatch(line -> line.contains(text));
        } catch (Exception e) {
            return false;
        }
    }

    /** Mean of a Prometheus summary or histogram in ms over all its labels, from the service's metrics text. */
    private static double meanMs(String metrics, String name) {
        double count = sumOf(metrics, name + "_count");
        return count == 0 ? -1 : round(sumOf(metrics, name + "_sum") / count * 1000, 1);
    }

    /** The sum of every Prometheus sample whose line starts with {@code prefix} (a name, perhaps with labels). */
    private static double sumOf(String metrics, String prefix) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space > 0 && line.startsWith(prefix)) {
                try {
                    sum += Double.parseDouble(line.substring(space + 1));
                } catch (NumberFormatException e) {
                    // not a sample
                }
            }
        }
        return sum;
    }

    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private static long occurrences(String text, String needle) {
        long count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** {@code JAVA_RUNTIME_VERSION} (or {@code JAVA_VERSION}) from the {@code release} file of a Java home. */
    private static String javaVersion(String javaHome) {
        try {
            String release = Files.readString(Path.of(javaHome, "release"));
            for (String key : List.of("JAVA_RUNTIME_VERSION", "JAVA_VERSION")) {
                Matcher value = Pattern.compile("(?m)^" + key + "=\"([^\"]+)\"")
                        .matcher(release);
                if (value.find()) {
                    return value.group(1);
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "unknown";
    }

    private static long memTotalMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // unknown
        }
        return -1;
    }

    private static String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return "";
            }
            return out;
        } catch (Exception e) {
            return "";
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
