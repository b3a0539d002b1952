package io.github.drsretrybatcher.drs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.drsretrybatcher.config.DrsConfig;
import io.github.drsretrybatcher.drs.auth.AuthFailedException;
import io.github.drsretrybatcher.drs.auth.RequestAuthenticator;
import io.github.drsretrybatcher.drs.auth.TrustSettings;
import io.github.drsretrybatcher.event.DeadLetterCode;
import io.github.drsretrybatcher.event.Outcome;
import io.github.drsretrybatcher.telemetry.LogFields;
import io.github.drsretrybatcher.telemetry.PipelineMetrics;
import io.github.drsretrybatcher.telemetry.WindowTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * The only door to the DRS API: builds the batch-retry-task request, authenticates it, paces it, retries transient
 * failures with backoff and a give-up time behind a circuit breaker, and turns the answers into one
 * {@link JobResult} per job.
 */
@ApplicationScoped
public class DrsClient {

    private static final Logger LOG = Logger.getLogger(DrsClient.class);

    /** Name of the circuit breaker around the batch-retry-task call. */
    public static final String BREAKER = "drs-batch-retry";

    private final DrsConfig config;
    private final ObjectMapper mapper;
    private final Map<String, DrsRestClient> clients = new ConcurrentHashMap<>();
    private final Map<String, AdaptiveRateLimiter> limiters = new ConcurrentHashMap<>();
    private final TypedGuard<Uni<CallAnswer>> guard;
    private final CircuitBreakerMaintenance breakers;
    private final RequestAuthenticator auth;
    private final TrustSettings tls;
    private final MeterRegistry registry;
    private final PipelineMetrics metrics;
    private final WindowTracing tracing;

    DrsClient(DrsConfig config, ObjectMapper mapper, RequestAuthenticator auth, TrustSettings tls,
            CircuitBreakerMaintenance breakers, MeterRegistry registry, PipelineMetrics metrics,
            WindowTracing tracing) {
        this.config = config;
        this.auth = auth;
        this.tls = tls;
        this.registry = registry;
        this.metrics = metrics;
        this.tracing = tracing;
        this.mapper = mapper;
        this.breakers = breakers;
        DrsConfig.Call call = config.call();
        DrsConfig.Breaker breaker = config.breaker();
        // Retry outside the breaker: while it is open, calls wait for it (not counted as attempts) until the
        // give-up time; a transient failure of the last allowed call is final.
        this.guard = TypedGuard.create(new TypeLiteral<Uni<CallAnswer>>() { })
                .withThreadOffload(false)
                .withRetry()
                    .maxRetries(-1)
                    .delay(call.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(call.giveUpAfter().toMillis(), ChronoUnit.MILLIS)
                    .whenException(e -> e instanceof CircuitBreakerOpenException
                            || e instanceof TransientApiException t && !t.last())
                    .withCustomBackoff()
                        .strategy(() -> new FullJitterBackoff(call.maxBackoff(), breaker.delay().dividedBy(2)))
                        .done()
                    .done()
                .withCircuitBreaker()
                    .name(BREAKER)
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    .when(e -> e instanceof TransientApiException)
                    .done()
                .build();
        registry.gauge("drs_batcher_breaker_open", this, c -> c.acceptsCalls() ? 0 : 1);
    }

    /** Whether the breaker lets calls through; while it does not, no new records should be taken. */
    public boolean acceptsCalls() {
        try {
            return breakers.currentState(BREAKER) != CircuitBreakerState.OPEN;
        } catch (RuntimeException notCreatedYet) {
            return true;
        }
    }

    /** Runs {@code listener} whenever the breaker changes state. */
    public void onBreakerChange(Runnable listener) {
        breakers.onStateChange(BREAKER, state -> listener.run());
    }

    /** Asks DRS to retry the jobs of one project in one region; never fails: failures become results. */
    public Uni<List<JobResult>> retry(String region, String projectId, List<JobRequest> jobs, Span window) {
        Optional<String> missing = auth.missingCredentials(region, projectId);
        if (missing.isPresent()) {
            return Uni.createFrom().item(jobs.stream().map(job -> new JobResult(job.jobId(), Outcome.FAILED,
                    "AUTH_FAILED", null, null, missing.get(), 0, null, 0, null, DeadLetterCode.AUTH_FAILED)).toList());
        }
        return new BatchRun(this, region, projectId, config.call().maxAttempts(), window).run(jobs);
    }

    /** One guarded call: transient answers and network failures are retried here, the rest is returned. */
    Uni<CallAnswer> guardedCall(String region, String projectId, List<JobRequest> jobs, Supplier<String> onAttempt,
            Span window) {
        AtomicInteger calls = new AtomicInteger();
        // counted when the guard subscribes, so that only an attempt that is made counts (not one the breaker
        // turns away, whenever the guard asks for the Uni)
        Supplier<Uni<CallAnswer>> attempt = () -> Uni.createFrom().deferred(() -> {
            String batchId = onAttempt.get();
            int call = calls.incrementAndGet();
            if (call > 1) {
                metrics.apiRetry();
            }
            boolean last = call >= config.call().maxAttempts();
            AdaptiveRateLimiter limiter = limiter(region);
            return after(limiter.reserve(System.nanoTime()))
                    .flatMap(paced -> send(region, projectId, jobs, batchId, window))
                    .onFailure(e -> !(e instanceof AuthFailedException)).transform(e -> new TransientApiException(e, last))
                    .invoke(answer -> {
                        ErrorClass errorClass = answer.status() == 200 ? null : answer.errorClass();
                        if (errorClass == ErrorClass.THROTTLE) {
                            limiter.throttled();
                        } else if (errorClass == null) {
                            limiter.succeeded();
                        }
                        if (errorClass == ErrorClass.TRANSIENT || errorClass == ErrorClass.THROTTLE) {
                            throw new TransientApiException(answer, last);
                        }
                    });
        });
        return guard.get(attempt);
    }

    /** Completes after {@code delay} (at once for zero). */
    static Uni<Void> after(Duration delay) {
        Uni<Void> now = Uni.createFrom().voidItem();
        return delay.isZero() || delay.isNegative() ? now : now.onItem().delayIt().by(delay);
    }

    /** A jittered pause before asking again for jobs an answer left out or reported busy. */
    Duration pauseBeforeAskingAgain(int attempts) {
        long ceiling = Math.min(config.call().maxBackoff().toMillis(),
                config.call().initialBackoff().toMillis() << Math.min(attempts, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private Uni<CallAnswer> send(String region, String projectId, List<JobRequest> jobs, String batchId, Span window) {
        String body = requestBody(jobs);
        URI uri = URI.create(endpoint(region) + "/v3/" + projectId + "/jobs/batch-retry-task");
        Span span = tracing.startCall(window, uri, jobs.size(), batchId);
        return Uni.createFrom().deferred(() -> auth.headers(region, projectId, uri, config.language(), body))
                .flatMap(h -> timed(client(region).batchRetryTask(projectId, h.token(), config.language(),
                        h.sdkDate(), h.authorization(), h.projectId(), tracing.traceparent(span), body)))
                .invoke(answer -> {
                    span.setAttribute("http.response.status_code", answer.status());
                    if (answer.status() != 200) {
                        span.setStatus(StatusCode.ERROR, answer.errorCode() == null ? "" : answer.errorCode());
                    }
                    try (var fields = LogFields.batch(projectId, batchId)) {
                        LOG.debugf("POST %s with %d jobs: HTTP %d %s (request id %s)", uri, jobs.size(),
                                answer.status(), answer.errorCode() == null ? "" : answer.errorCode(),
                                answer.requestId());
                    }
                })
                .onFailure().invoke(e -> {
                    span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
                    try (var fields = LogFields.batch(projectId, batchId)) {
                        LOG.debugf("POST %s with %d jobs failed: %s", uri, jobs.size(), e);
                    }
                })
                .onTermination().invoke(span::end);
    }

    /** Reads the answer and records the call's duration by status class ({@code 2xx}, ..., {@code error}). */
    private Uni<CallAnswer> timed(Uni<Response> call) {
        long start = System.nanoTime();
        return call.map(this::answer)
                .invoke(answer -> callTimer(answer.status() / 100 + "xx").record(System.nanoTime() - start,
                        TimeUnit.NANOSECONDS))
                .onFailure().invoke(e -> callTimer("error").record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    private Timer callTimer(String status) {
        return Timer.builder("drs_batcher_api_call").tag("status", status).publishPercentileHistogram()
                .register(registry);
    }

    /** After a 401 "token expired": whether a fresh token was arranged for the next call. */
    boolean refreshToken(String region, String projectId) {
        return auth.refreshable(region, projectId);
    }

    private String endpoint(String region) {
        return config.endpoint().replace("{region}", region);
    }

    String requestBody(List<JobRequest> jobs) {
        Boolean configured = config.isSyncReEdit().orElse(null);
        StringWriter body = new StringWriter(48 * jobs.size() + 16);
        try (JsonGenerator json = mapper.createGenerator(body)) {
            json.writeStartObject();
            json.writeArrayFieldStart("jobs");
            for (JobRequest job : jobs) {
                json.writeStartObject();
                json.writeStringField("job_id", job.jobId());
                Boolean syncReEdit = job.isSyncReEdit() != null ? job.isSyncReEdit() : configured;
                if (syncReEdit != null) {
                    json.writeBooleanField("is_sync_re_edit", syncReEdit);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toString();
    }

    private CallAnswer answer(Response response) {
        try (response) {
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode body;
            try {
                body = text.isBlank() ? MissingNode.getInstance() : mapper.readTree(text);
            } catch (JsonProcessingException e) {
                body = MissingNode.getInstance();
            }
            return new CallAnswer(response.getStatus(), response.getHeaderString("X-Request-Id"), body,
                    retryAfter(response.getHeaderString("Retry-After")));
        }
    }

    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration left = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return left.isNegative() ? Duration.ZERO : left;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private AdaptiveRateLimiter limiter(String region) {
        return limiters.computeIfAbsent(region, r -> new AdaptiveRateLimiter(config.rate().callsPerSecond(),
                config.rate().minCallsPerSecond()));
    }

    private DrsRestClient client(String region) {
        return clients.computeIfAbsent(region, r -> tls.apply(QuarkusRestClientBuilder.newBuilder())
                .baseUri(URI.create(endpoint(r)))
                .connectTimeout(config.call().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.call().readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .register(new JsonTextWriter())
                .loggingMaskedHeaders(Set.of("Authorization", "X-Auth-Token"))
                .build(DrsRestClient.class));
    }
}
