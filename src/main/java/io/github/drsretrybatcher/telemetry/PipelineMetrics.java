package io.github.drsretrybatcher.telemetry;

import io.github.drsretrybatcher.event.DeadLetterCode;
import io.github.drsretrybatcher.event.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The service's own counters, registered at start with every label value the code can produce, so that each
 * series exists at zero from the first scrape: an alert on {@code rate(...)} then sees "nothing happened" rather
 * than "no such series".
 */
@Startup
@Singleton
public class PipelineMetrics {

    /** The {@code result} label of {@code drs_batcher_records_received_total}. */
    public enum Received { valid, parent, dead_letter }

    /** Every (outcome, reason) pair the service publishes; {@code none} stands for a null reason. */
    static final Map<Outcome, String[]> REASONS = Map.of(
            Outcome.RETRY_ACCEPTED, new String[] {"none"},
            Outcome.RETRY_REJECTED, new String[] {"none"},
            Outcome.DRY_RUN, new String[] {"none"},
            Outcome.SKIPPED, new String[] {"PARENT_TASK"},
            Outcome.SUPPRESSED, new String[] {"COOLDOWN", "BUDGET_EXHAUSTED"},
            Outcome.FAILED, new String[] {"NO_RESULT", "API_UNAVAILABLE", "AUTH_FAILED", "API_REJECTED"});

    private final MeterRegistry registry;
    private final EnumMap<Received, Counter> received = new EnumMap<>(Received.class);
    private final EnumMap<DeadLetterCode, Counter> deadLetters = new EnumMap<>(DeadLetterCode.class);
    private final EnumMap<Outcome, Map<String, Counter>> outcomes = new EnumMap<>(Outcome.class);
    private final Counter apiRetries;

    PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Received result : Received.values()) {
            received.put(result, registry.counter("drs_batcher_records_received", "result", result.name()));
        }
        for (DeadLetterCode code : DeadLetterCode.values()) {
            deadLetters.put(code, registry.counter("drs_batcher_dead_letters", "code", code.name()));
        }
        REASONS.forEach((outcome, reasons) -> {
            for (String reason : reasons) {
                outcomes.computeIfAbsent(outcome, o -> new HashMap<>()).put(reason, outcomeCounter(outcome, reason));
            }
        });
        apiRetries = registry.counter("drs_batcher_api_retries");
    }

    public void received(Received result) {
        received.get(result).increment();
    }

    public void deadLetter(DeadLetterCode code) {
        deadLetters.get(code).increment();
    }

    public void outcome(Outcome outcome, String reason) {
        String label = reason == null ? "none" : reason;
        Counter counter = outcomes.getOrDefault(outcome, Map.of()).get(label);
        (counter != null ? counter : outcomeCounter(outcome, label)).increment();
    }

    /** One more call to the API that repeats an earlier one (after a transient failure or throttling). */
    public void apiRetry() {
        apiRetries.increment();
    }

    private Counter outcomeCounter(Outcome outcome, String reason) {
        return registry.counter("drs_batcher_outcomes", "outcome", outcome.name(), "reason", reason);
    }
}
