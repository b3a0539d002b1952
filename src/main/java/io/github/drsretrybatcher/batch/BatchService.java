package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.config.BatchConfig;
import io.github.drsretrybatcher.config.DrsConfig;
import io.github.drsretrybatcher.drs.DrsClient;
import io.github.drsretrybatcher.drs.JobRequest;
import io.github.drsretrybatcher.drs.JobResult;
import io.github.drsretrybatcher.event.Outcome;
import io.github.drsretrybatcher.event.RetryOutcome;
import io.github.drsretrybatcher.outcome.DeadLetterPublisher;
import io.github.drsretrybatcher.outcome.OutcomePublisher;
import io.github.drsretrybatcher.telemetry.LogFields;
import io.github.drsretrybatcher.telemetry.WindowTracing;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Collects valid records into windows and flushes each window as one DRS call, then publishes one outcome per
 * job (and dead letters where due) and only then acknowledges the window's input records.
 */
@ApplicationScoped
public class BatchService {

    private static final Logger LOG = Logger.getLogger(BatchService.class);

    private final DrsClient drs;
    private final OutcomePublisher outcomes;
    private final DeadLetterPublisher deadLetters;
    private final InFlight inFlight;
    private final RetryBudget budget;
    private final Clock clock;
    private final boolean dryRun;
    private final WindowBuffer buffer;
    private final DistributionSummary batchSizes;
    private final WindowTracing tracing;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "drs-window-timer");
        thread.setDaemon(true);
        return thread;
    });

    BatchService(DrsClient drs, OutcomePublisher outcomes, DeadLetterPublisher deadLetters, InFlight inFlight,
            RetryBudget budget, Clock clock, BatchConfig batch, DrsConfig config, MeterRegistry registry,
            WindowTracing tracing) {
        this.drs = drs;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.inFlight = inFlight;
        this.budget = budget;
        this.clock = clock;
        this.tracing = tracing;
        this.dryRun = config.dryRun();
        this.buffer = new WindowBuffer(batch.window(), Math.min(batch.maxSize(), 100));
        // while the API keeps failing, records wait in Kafka rather than in windows
        inFlight.gate(drs::acceptsCalls);
        drs.onBreakerChange(inFlight::wake);
        // past batch.max-buffered-records with no call or publication in flight, only a window's time would make
        // room: the fullest window goes now instead (on the timer thread, off the one that noticed)
        inFlight.whenFull(() -> {
            try {
                timer.execute(this::flushFullest);
            } catch (RejectedExecutionException stopping) {
                // shutting down: the drain flushes every window
            }
        });
        this.batchSizes = DistributionSummary.builder("drs_batcher_batch_size").baseUnit("jobs").register(registry);
        registry.gauge("drs_batcher_open_windows", buffer, b -> {
            synchronized (b) {
                return b.openWindows();
            }
        });
        registry.gauge("drs_batcher_window_records", buffer, b -> {
            synchronized (b) {
                return b.openRecords();
            }
        });
    }

    /** Adds a valid record to its window; the window is flushed when full or when its time is up. */
    public void add(PendingRecord record) {
        WindowBuffer.Added added;
        synchronized (buffer) {
            added = buffer.add(record, clock.instant());
        }
        if (added.opened()) {
            timer.schedule(this::flushDue, buffer.length().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (added.full() != null) {
            flush(added.full());
        }
    }

    /** Flushes every open window now; used on shutdown and when partitions are revoked. */
    public void flushAll() {
        List<Window> all;
        synchronized (buffer) {
            all = buffer.takeAll();
        }
        all.forEach(this::flush);
    }

    private void flushFullest() {
        Window fullest;
        synchronized (buffer) {
            fullest = buffer.takeFullest();
        }
        if (fullest != null) {
            flush(fullest);
        }
    }

    private void flushDue() {
        List<Window> due;
        synchronized (buffer) {
            due = buffer.takeDue(clock.instant());
        }
        due.forEach(this::flush);
    }

    private void flush(Window window) {
        Instant now = clock.instant();
        String decidedAt = now.toString();
        Span span = tracing.startWindow(window);
        String traceparent = tracing.traceparent(span);
        List<RetryOutcome> suppressed = new ArrayList<>();
        List<Window.Job> allowed = new ArrayList<>();
        for (Window.Job job : window.jobs()) {
            RetryLedger.Verdict verdict = budget.check(job.jobId(), now);
            if (verdict == RetryLedger.Verdict.ALLOWED) {
                allowed.add(job);
            } else {
                suppressed.add(OutcomeFactory.withoutCall(job.tasks(), Outcome.SUPPRESSED, verdict.name(), 0,
                        decidedAt));
            }
        }
        Uni<Void> published = outcomes.publishAll(suppressed, traceparent);
        if (!allowed.isEmpty()) {
            Uni<Void> decided = dryRun
                    ? outcomes.publishAll(allowed.stream().map(job -> OutcomeFactory.withoutCall(job.tasks(),
                            Outcome.DRY_RUN, null, allowed.size(), decidedAt)).toList(), traceparent)
                    : budget.record(allowed.stream().map(Window.Job::jobId).toList(), now)
                            .flatMap(recorded -> call(window.key(), allowed, span, traceparent));
            published = Uni.join().all(published, decided).andFailFast().replaceWithVoid();
        }
        List<ConsumerRecord<byte[], byte[]>> records = window.jobs().stream()
                .flatMap(job -> job.records().stream()).map(PendingRecord::record).toList();
        inFlight.track(published
                .invoke(() -> inFlight.ack(records))
                .onFailure().invoke(e -> {
                    span.setStatus(StatusCode.ERROR, "outcomes not published");
                    try (var fields = LogFields.batch(window.key().projectId(), null)) {
                        LOG.errorf(e, "Publishing the outcomes of window %s failed", window.key());
                    }
                })
                .onFailure().call(e -> inFlight.fail(records, e))
                .onTermination().invoke(span::end));
    }

    /** Calls the API for {@code jobs}, then publishes an outcome for each (and dead letters where due). */
    private Uni<Void> call(Window.Key key, List<Window.Job> jobs, Span span, String traceparent) {
        batchSizes.record(jobs.size());
        Map<String, Window.Job> byId = jobs.stream().collect(Collectors.toMap(Window.Job::jobId, Function.identity()));
        List<JobRequest> requests = jobs.stream().map(job -> new JobRequest(job.jobId(), job.isSyncReEdit())).toList();
        return drs.retry(key.region(), key.projectId(), requests, span).flatMap(results -> {
            String decidedAt = clock.instant().toString();
            List<RetryOutcome> decided = new ArrayList<>(results.size());
            List<Uni<Void>> all = new ArrayList<>();
            for (JobResult result : results) {
                Window.Job job = byId.get(result.jobId());
                decided.add(OutcomeFactory.decided(job.tasks(), result, decidedAt));
                if (result.deadLetter() != null) {
                    all.add(deadLetter(key, job, result));
                }
            }
            all.add(outcomes.publishAll(decided, traceparent));
            return Uni.join().all(all).andFailFast().replaceWithVoid();
        });
    }

    private Uni<Void> deadLetter(Window.Key key, Window.Job job, JobResult result) {
        String reason = "Job " + result.jobId() + " was not retried: " + result.reason()
                + (result.errorCode() != null ? " (" + result.errorCode() + ")" : "")
                + (result.errorMsg() != null ? ": " + result.errorMsg() : ".");
        try (var fields = LogFields.job(key.projectId(), result.batchId(), result.jobId())) {
            LOG.warnf("%s [%d record(s) to the dead-letter topic, code %s]", reason, job.records().size(),
                    result.deadLetter());
        }
        return Uni.join().all(job.records().stream()
                        .map(record -> deadLetters.publish(record.record(), result.deadLetter(), reason, null))
                        .toList())
                .andFailFast().replaceWithVoid();
    }

    /** Flushes every window and waits, up to {@code timeout}, for all outcomes to be published and acknowledged. */
    public boolean drain(Duration timeout) {
        flushAll();
        return inFlight.awaitIdle(timeout);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
