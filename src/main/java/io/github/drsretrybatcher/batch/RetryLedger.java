package io.github.drsretrybatcher.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When each job was last sent to the API, within the budget period, and the rule that decides whether it may be
 * sent again. Bounded: past {@code maxJobs} the job heard of least recently is forgotten (its history stays in
 * the budget topic). Thread-safe; time is passed in.
 */
public final class RetryLedger {

    /** Why a job may not be sent now, or {@link #ALLOWED}. */
    public enum Verdict { ALLOWED, COOLDOWN, BUDGET_EXHAUSTED }

    private static final long[] NONE = new long[0];

    private final long cooldown;
    private final int maxPerJob;
    private final long period;
    /** Send times in epoch milliseconds, oldest first, at most {@code maxPerJob} of them. */
    private final Map<String, long[]> sends;

    public RetryLedger(Duration cooldown, int maxPerJob, Duration period, int maxJobs) {
        this.cooldown = cooldown.toMillis();
        this.maxPerJob = maxPerJob;
        this.period = period.toMillis();
        this.sends = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > maxJobs;
            }
        };
    }

    public synchronized Verdict check(String jobId, Instant now) {
        long[] recent = recent(sends.getOrDefault(jobId, NONE), now.toEpochMilli());
        if (recent.length > 0 && recent[recent.length - 1] + cooldown > now.toEpochMilli()) {
            return Verdict.COOLDOWN;
        }
        return recent.length >= maxPerJob ? Verdict.BUDGET_EXHAUSTED : Verdict.ALLOWED;
    }

    /** Counts a send of {@code jobId} at {@code now}; returns the sends within the period, oldest first. */
    public synchronized long[] record(String jobId, Instant now) {
        long[] recent = recent(sends.getOrDefault(jobId, NONE), now.toEpochMilli());
        long[] updated = Arrays.copyOfRange(recent, Math.max(0, recent.length + 1 - maxPerJob), recent.length + 1);
        updated[updated.length - 1] = now.toEpochMilli();
        sends.put(jobId, updated);
        return updated.clone();
    }

    /** Takes what the budget topic knows of {@code jobId} when it is at least as much as this ledger knows. */
    public synchronized void restore(String jobId, List<Instant> sent) {
        long[] theirs = sent.stream().mapToLong(Instant::toEpochMilli).sorted().toArray();
        long[] mine = sends.get(jobId);
        if (theirs.length == 0) {
            sends.remove(jobId);
        } else if (mine == null || theirs.length >= mine.length && theirs[theirs.length - 1] >= mine[mine.length - 1]) {
            sends.put(jobId, theirs);
        }
    }

    private long[] recent(long[] all, long now) {
        int first = 0;
        while (first < all.length && all[first] + period <= now) {
            first++;
        }
        return first == 0 ? all : Arrays.copyOfRange(all, first, all.length);
    }

    public synchronized int size() {
        return sends.size();
    }
}
