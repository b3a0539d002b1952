package io.github.drsretrybatcher.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each job was last sent to the API, within the budget period, and the rule that decides whether it may be
 * sent again. Pure and thread-safe; time is passed in.
 */
public final class RetryLedger {

    /** Why a job may not be sent now, or {@link #ALLOWED}. */
    public enum Verdict { ALLOWED, COOLDOWN, BUDGET_EXHAUSTED }

    private final Duration cooldown;
    private final int maxPerJob;
    private final Duration period;
    private final Map<String, List<Instant>> sends = new ConcurrentHashMap<>();

    public RetryLedger(Duration cooldown, int maxPerJob, Duration period) {
        this.cooldown = cooldown;
        this.maxPerJob = maxPerJob;
        this.period = period;
    }

    public Verdict check(String jobId, Instant now) {
        List<Instant> recent = recent(jobId, now);
        if (!recent.isEmpty() && recent.get(recent.size() - 1).plus(cooldown).isAfter(now)) {
            return Verdict.COOLDOWN;
        }
        return recent.size() >= maxPerJob ? Verdict.BUDGET_EXHAUSTED : Verdict.ALLOWED;
    }

    /** Counts a send of {@code jobId} at {@code now}; returns the sends within the period, oldest first. */
    public List<Instant> record(String jobId, Instant now) {
        return sends.compute(jobId, (id, old) -> {
            List<Instant> updated = new ArrayList<>(old == null ? List.of() : old);
            updated.add(now);
            updated.removeIf(at -> !at.plus(period).isAfter(now));
            updated.sort(null);
            return List.copyOf(updated);
        });
    }

    /** Replaces what is known of {@code jobId} (from the budget topic); null or empty forgets it. */
    public void restore(String jobId, List<Instant> sent) {
        if (sent == null || sent.isEmpty()) {
            sends.remove(jobId);
        } else {
            sends.merge(jobId, List.copyOf(sent), (mine, theirs) -> mine.size() >= theirs.size()
                    && !mine.get(mine.size() - 1).isBefore(theirs.get(theirs.size() - 1)) ? mine : theirs);
        }
    }

    private List<Instant> recent(String jobId, Instant now) {
        return sends.getOrDefault(jobId, List.of()).stream().filter(at -> at.plus(period).isAfter(now)).toList();
    }

    public int size() {
        return sends.size();
    }
}
