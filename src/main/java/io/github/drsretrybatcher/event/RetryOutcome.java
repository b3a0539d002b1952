package io.github.drsretrybatcher.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The outcome event: one per job per window on the results topic (see {@code schemas/retry-outcome.schema.json}). */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RetryOutcome(
        String jobId,
        String projectId,
        String region,
        Outcome outcome,
        String reason,
        String drsStatus,
        String errorCode,
        String errorMsg,
        int attempts,
        String batchId,
        int batchSize,
        String requestId,
        List<String> sourceEventIds,
        String eventTime,
        String decidedAt) {
}
