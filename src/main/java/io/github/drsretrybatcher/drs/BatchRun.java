package io.github.drsretrybatcher.drs;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsretrybatcher.drs.auth.AuthFailedException;
import io.github.drsretrybatcher.event.DeadLetterCode;
import io.github.drsretrybatcher.event.Outcome;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The calls made for one window: maps per-item answers to jobs, asks again for jobs an answer left out or that
 * were busy, splits a batch that was refused because of some of its jobs, and decides every job exactly once.
 */
final class BatchRun {

    /** The last call that carried a job. */
    private record Carried(int attempts, String batchId, int batchSize, String requestId) {
    }

    private final DrsClient client;
    private final String region;
    private final String projectId;
    private final int maxAttempts;
    private final Span window;
    private final Map<String, Carried> carried = new ConcurrentHashMap<>();
    private volatile boolean tokenRefreshed;

    BatchRun(DrsClient client, String region, String projectId, int maxAttempts, Span window) {
        this.client = client;
        this.window = window;
        this.region = region;
        this.projectId = projectId;
        this.maxAttempts = maxAttempts;
    }

    Uni<List<JobResult>> run(List<JobRequest> jobs) {
        return client.guardedCall(region, projectId, jobs, () -> carry(jobs), window)
                .invoke(answer -> jobs.forEach(job -> carried.computeIfPresent(job.jobId(),
                        (id, c) -> new Carried(c.attempts(), c.batchId(), c.batchSize(), answer.requestId()))))
                .onItemOrFailure().transformToUni((answer, failure) ->
                        failure != null ? done(unavailable(jobs, failure)) : decide(jobs, answer));
    }

    /** Notes that one more call carries {@code jobs}; returns that call's batch id. */
    private String carry(List<JobRequest> jobs) {
        String batchId = UUID.randomUUID().toString();
        for (JobRequest job : jobs) {
            carried.merge(job.jobId(), new Carried(1, batchId, jobs.size(), null),
                    (old, fresh) -> new Carried(old.attempts() + 1, batchId, jobs.size(), null));
        }
        return batchId;
    }

    private Uni<List<JobResult>> decide(List<JobRequest> jobs, CallAnswer answer) {
        if (answer.status() == 200) {
            return perItem(jobs, answer);
        }
        return switch (answer.errorClass()) {
            case ITEM -> jobs.size() == 1
                    ? done(List.of(result(jobs.get(0).jobId(), Outcome.RETRY_REJECTED, null, null,
                            answer.errorCode(), answer.errorMsg(), null)))
                    : split(jobs);
            case TOKEN_EXPIRED -> !tokenRefreshed && client.refreshToken(region, projectId)
                    ? refreshedRun(jobs)
                    : done(all(jobs, Outcome.FAILED, "AUTH_FAILED", answer, DeadLetterCode.AUTH_FAILED));
            case AUTH -> done(all(jobs, Outcome.FAILED, "AUTH_FAILED", answer, DeadLetterCode.AUTH_FAILED));
            default -> done(all(jobs, Outcome.FAILED, "API_REJECTED", answer, DeadLetterCode.API_REJECTED));
        };
    }

    /** One immediate retry with a fresh token. */
    private Uni<List<JobResult>> refreshedRun(List<JobRequest> jobs) {
        tokenRefreshed = true;
        return run(jobs);
    }

    private Uni<List<JobResult>> perItem(List<JobRequest> jobs, CallAnswer answer) {
        Map<String, JsonNode> items = new HashMap<>();
        for (JsonNode item : answer.body().path("results")) {
            items.putIfAbsent(item.path("id").asText(), item);
        }
        List<JobResult> decided = new ArrayList<>();
        List<JobRequest> again = new ArrayList<>();
        for (JobRequest job : jobs) {
            JsonNode item = items.get(job.jobId());
            boolean attemptsLeft = carried.get(job.jobId()).attempts() < maxAttempts; // answered, so carried
            if (item == null) {
                if (attemptsLeft) {
                    again.add(job);
                } else {
                    decided.add(result(job.jobId(), Outcome.FAILED, "NO_RESULT", null, null,
                            "The API answered without a result for this job.", null));
                }
                continue;
            }
            String status = item.path("status").asText(null);
            String code = item.path("error_code").asText(null);
            if (ErrorClassifier.isTransientItem(code) && attemptsLeft) {
                again.add(job);
            } else if ("success".equals(status)) {
                decided.add(result(job.jobId(), Outcome.RETRY_ACCEPTED, null, status, null, null, null));
            } else {
                decided.add(result(job.jobId(), Outcome.RETRY_REJECTED, null, status, code,
                        item.path("error_msg").asText(null), null));
            }
        }
        if (again.isEmpty()) {
            return done(decided);
        }
        Duration pause = client.pauseBeforeAskingAgain(carried.get(again.get(0).jobId()).attempts());
        return DrsClient.after(pause)
                .flatMap(nothing -> run(again))
                .map(rest -> concat(decided, rest));
    }

    private Uni<List<JobResult>> split(List<JobRequest> jobs) {
        int half = jobs.size() / 2;
        return run(jobs.subList(0, half))
                .flatMap(first -> run(jobs.subList(half, jobs.size())).map(second -> concat(first, second)));
    }

    private List<JobResult> unavailable(List<JobRequest> jobs, Throwable failure) {
        if (failure instanceof AuthFailedException refused) {
            return jobs.stream().map(job -> result(job.jobId(), Outcome.FAILED, "AUTH_FAILED", null, null,
                    refused.getMessage(), DeadLetterCode.AUTH_FAILED)).toList();
        }
        if (failure instanceof CircuitBreakerOpenException) {
            failure = new IllegalStateException("The DRS API kept failing: its circuit breaker was still open when"
                    + " the give-up time passed.");
        }
        CallAnswer last = failure instanceof TransientApiException e ? e.answer() : null;
        List<JobResult> results = new ArrayList<>();
        for (JobRequest job : jobs) {
            results.add(result(job.jobId(), Outcome.FAILED, "API_UNAVAILABLE", null,
                    last == null ? null : last.errorCode(),
                    last == null || last.errorMsg() == null ? failure.getMessage() : last.errorMsg(),
                    DeadLetterCode.API_UNAVAILABLE));
        }
        return results;
    }

    private List<JobResult> all(List<JobRequest> jobs, Outcome outcome, String reason, CallAnswer answer,
            DeadLetterCode deadLetter) {
        String message = answer.errorMsg() != null ? answer.errorMsg() : "The API answered HTTP " + answer.status() + ".";
        return jobs.stream()
                .map(job -> result(job.jobId(), outcome, reason, null, answer.errorCode(), message, deadLetter))
                .toList();
    }

    private JobResult result(String jobId, Outcome outcome, String reason, String drsStatus, String code,
            String message, DeadLetterCode deadLetter) {
        // no call carried the job when the breaker stayed open until the give-up time
        Carried c = carried.getOrDefault(jobId, new Carried(0, null, 0, null));
        return new JobResult(jobId, outcome, reason, drsStatus, code, message,
                c.attempts(), c.batchId(), c.batchSize(), c.requestId(), deadLetter);
    }

    private static Uni<List<JobResult>> done(List<JobResult> results) {
        return Uni.createFrom().item(results);
    }

    private static List<JobResult> concat(List<JobResult> first, List<JobResult> second) {
        List<JobResult> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
