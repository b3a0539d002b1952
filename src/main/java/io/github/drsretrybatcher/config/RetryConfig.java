package io.github.drsretrybatcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The retry budget: how often one job may be sent to the API. */
@ConfigMapping(prefix = "retry")
public interface RetryConfig {

    /** A job sent less than this long ago is not sent again ({@code SUPPRESSED}/{@code COOLDOWN}). */
    @WithDefault("30s")
    Duration cooldown();

    /** Sends of one job allowed within {@link #budgetPeriod()}; then {@code SUPPRESSED}/{@code BUDGET_EXHAUSTED}. */
    @WithDefault("5")
    int maxPerJob();

    /** The period the per-job budget counts over. */
    @WithDefault("24h")
    Duration budgetPeriod();

    /**
     * Jobs whose sends are kept in memory (about 80 bytes each); past it the least recently seen job is forgotten
     * there, so a job that keeps failing stays remembered unless this many other jobs failed since.
     */
    @WithDefault("20000")
    int maxTrackedJobs();

    /**
     * Topic that remembers the sends (one record per API call, kept for the budget period and an hour), so the
     * budget survives restarts and rebalances.
     */
    @WithDefault("drs.task.retry.budget")
    String topic();

    /** How long start-up may take to read the budget topic before the service gives up starting. */
    @WithDefault("60s")
    Duration loadTimeout();
}
