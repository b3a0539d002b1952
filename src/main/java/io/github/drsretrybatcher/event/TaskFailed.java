package io.github.drsretrybatcher.event;

import java.time.Instant;

/**
 * What the service keeps of a validated "task failed" event, with defaults applied. {@code job_name},
 * {@code status} and the error fields are validated but not kept: nothing decides on them, and a record is held
 * in memory until its outcome is published.
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
        boolean isParent,
        Boolean isSyncReEdit,
        Instant occurredAt) {
}
