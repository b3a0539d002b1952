package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.drs.JobResult;
import io.github.drsretrybatcher.event.Outcome;
import io.github.drsretrybatcher.event.RetryOutcome;
import io.github.drsretrybatcher.event.TaskFailed;
import java.time.Instant;
import java.util.List;

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

    /** The distinct event ids, in order; most jobs come from one event, so that case makes no set. */
    private static List<String> eventIds(List<TaskFailed> tasks) {
        return tasks.size() == 1 ? List.of(tasks.get(0).eventId())
                : tasks.stream().map(TaskFailed::eventId).distinct().toList();
    }

    private static String eventTime(List<TaskFailed> tasks) {
        Instant earliest = null;
        for (TaskFailed task : tasks) {
            Instant at = task.occurredAt();
            if (at != null && (earliest == null || at.isBefore(earliest))) {
                earliest = at;
            }
        }
        return earliest == null ? null : earliest.toString();
    }
}
