package io.github.drsretrybatcher.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Task-failed events {@code ev-<n>} over the bench's projects: a share {@code duplicates} repeats a job id sent
 * shortly before in the same project (so that many repeats meet in one window), the rest are new jobs. The key
 * is the job id, as the producers of the real topic do. Deterministic for one seed.
 */
final class EventGenerator {

    /** How far back a repeated job id may reach, per project. */
    private static final int RECENT = 64;

    private final BenchSettings settings;
    private final Random random;
    private final String[][] recent;
    private final int[] recentCount;
    private final long[] nextJob;
    private final String jobPrefix;
    private long uniqueJobs;

    EventGenerator(BenchSettings settings, long seed, String jobPrefix) {
        this.settings = settings;
        this.random = new Random(seed);
        this.recent = new String[settings.projects][RECENT];
        this.recentCount = new int[settings.projects];
        this.nextJob = new long[settings.projects];
        this.jobPrefix = jobPrefix;
    }

    /** The record of event number {@code n}: key and value. */
    Event next(long n) {
        int project = random.nextInt(settings.projects);
        String job;
        int known = Math.min(recentCount[project], RECENT);
        if (known > 0 && random.nextDouble() < settings.duplicates) {
            job = recent[project][random.nextInt(known)];
        } else {
            job = jobPrefix + project + "-" + nextJob[project]++;
            recent[project][recentCount[project]++ % RECENT] = job;
            uniqueJobs++;
        }
        String value = "{\"event_id\":\"ev-" + n + "\",\"project_id\":\"" + settings.project(project)
                + "\",\"job_id\":\"" + job + "\",\"job_name\":\"bench-" + job
                + "\",\"status\":\"INCRE_TRANSFER_FAILED\",\"error_code\":\"DRS.E001\""
                + ",\"error_message\":\"incremental transfer failed\",\"occurred_at\":" + System.currentTimeMillis()
                + "}";
        return new Event(job.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    /** Distinct job ids generated so far. */
    long uniqueJobs() {
        return uniqueJobs;
    }

    record Event(byte[] key, byte[] value) {
    }

    /** Parses {@code ev-<n>} to n, or -1. */
    static long eventNumber(String eventId) {
        if (eventId == null || !eventId.startsWith("ev-")) {
            return -1;
        }
        try {
            return Long.parseLong(eventId, 3, eventId.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
