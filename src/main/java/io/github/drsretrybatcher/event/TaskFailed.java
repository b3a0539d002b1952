package io.github.drsretrybatcher.event;

import java.time.Instant;

/**
 * A validated "task failed" event: the task-failed object of the contract, with defaults applied.
 *
 * @param eventId never null: the event's own id, its CloudEvent id, or {@code topic-partition-offset}
 * @param region never null: the event's region or the configured default
 * @param isSyncReEdit null when the event does not set it
 * @param occurredAt null when the event does not say
 */
public record TaskFailed(
        String projectId,
        String jobId,
        String eventId,
        String region,
        String jobName,
        String status,
        String errorCode,
        String errorMessage,
        boolean isParent,
        Boolean isSyncReEdit,
        Instant occurredAt) {
}
