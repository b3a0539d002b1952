package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.drs.JobResult;
import io.github.drsretrybatcher.event.Outcome;
import io.github.drsretrybatcher.event.RetryOutcome;
import io.github.drsretrybatcher.event.TaskFailed;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Builds outcome events from the tasks that asked for a job and what was decided for it. */
public final class OutcomeFactory {

    private OutcomeFactory() {
    }

    /** The outcome of a job that the API calls decided; {@code decidedAt} is an RFC 3339 time. */
    public static RetryOutcome decided(List<TaskFailed> tasks, JobResult r, String decidedAt) {
        TaskFailed first = tasks.get(0);
        return new RetryOutcome(first.jobId(), first.projectId(), first.region(), r.outcome(), r.reason(),
                r.drsStatus(), r.errorCode(), r.errorMsg(), r.attempts(), r.batchId(), r.batchSize(), r.requestId(),
                eventIds(tasks), eventTime(tasks), decidedAt);
    }

    /** The outcome of a job decided without a call ({@code SKIPPED}, {@code SUPPRESSED}, {@code DRY_RUN}). */
    public static RetryOutcome withoutCall(List<TaskFailed> tasks, Outcome outcome, String reason, int batchSize,
            String decidedAt) {
        TaskFailed first = tasks.get(0);
        return new RetryOutcome(first.jobId(), first.projectId(), first.region(), outcome, reason,
                null, null, null, 0, null, batchSize, null, eventIds(tasks), eventTime(tasks), decidedAt);
    }

    private static List<String> eventIds(List<TaskFailed> tasks) {
        return tasks.stream().map(TaskFailed::eventId).distinct().toList();
    }

    private static String eventTime(List<TaskFailed> tasks) {
        return tasks.stream().map(TaskFailed::occurredAt).filter(Objects::nonNull).min(Instant::compareTo)
                .map(Instant::toString).orElse(null);
    }
}
