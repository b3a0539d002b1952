package io.github.drsretrybatcher.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each job was last sent to the API, within the budget period, and the rule that decides whether it may be
 * sent again. Bounded: past {@code maxJobs} the job heard of least recently is forgotten (its history stays in
 * the budget topic). Jobs are remembered by a 64-bit hash of their id rather than the id itself (half the memory
 * per job; even among 100,000 remembered ids, five times the default, two share a hash with a probability of
 * about 3 in 10 billion). Thread-safe; time is passed in.
 */
public final class RetryLedger {

    /** Why a job may not be sent now, or {@link #ALLOWED}. */
    public enum Verdict { ALLOWED, COOLDOWN, BUDGET_EXHAUSTED }

    private static final long[] NONE = new long[0];

    private final long cooldown;
    private final int maxPerJob;
    private final long period;
    /** Send times in epoch milliseconds, oldest first, at most {@code maxPerJob} of them. */
    private final Map<Long, long[]> sends;

    public RetryLedger(Duration cooldown, int maxPerJob, Duration period, int maxJobs) {
        this.cooldown = cooldown.toMillis();
        this.maxPerJob = maxPerJob;
        this.period = period.toMillis();
        this.sends = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
                return size() > maxJobs;
            }
        };
    }

    public synchronized Verdict check(String jobId, Instant now) {
        long[] recent = recent(sends.getOrDefault(key(jobId), NONE), now.toEpochMilli());
        if (recent.length > 0 && recent[recent.length - 1] + cooldown > now.toEpochMilli()) {
            return Verdict.COOLDOWN;
        }
        return recent.length >= maxPerJob ? Verdict.BUDGET_EXHAUSTED : Verdict.ALLOWED;
    }

    /**
     * Counts a send of {@code jobId} at {@code at}: one this process makes now, or one the budget topic tells of
     * (in any order). Keeps the newest {@code maxPerJob} sends within the period.
     */
    public synchronized void sent(String jobId, Instant at) {
        long time = at.toEpochMilli();
        Long key = key(jobId);
        long[] recent = recent(sends.getOrDefault(key, NONE), time);
        int position = recent.length;
        while (position > 0 && recent[position - 1] > time) {
            position--;
        }
        long[] updated = new long[recent.length + 1];
        System.arraycopy(recent, 0, updated, 0, position);
        updated[position] = time;
        System.arraycopy(recent, position, updated, position + 1, recent.length - position);
        sends.put(key, updated.length > maxPerJob
                ? Arrays.copyOfRange(updated, updated.length - maxPerJob, updated.length) : updated);
    }

    /** 64-bit FNV-1a of the id's characters. */
    private static long key(String jobId) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < jobId.length(); i++) {
            hash = (hash ^ jobId.charAt(i)) * 0x100000001b3L;
        }
        return hash;
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
