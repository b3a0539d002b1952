package io.github.drsretrybatcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Window and buffer settings. */
@ConfigMapping(prefix = "batch")
public interface BatchConfig {

    /** A window is flushed this long after its first record at the latest. */
    @WithDefault("1s")
    Duration window();

    /** A window is flushed as soon as it holds this many distinct jobs (the API takes at most 100). */
    @WithDefault("100")
    int maxSize();

    /**
     * Input records held at once (windowed, in a call, or being published); past it the consumer pauses, and when
     * nothing is in flight the fullest open window is flushed without waiting for its time.
     */
    @WithDefault("2500")
    int maxBufferedRecords();

    /** How often finished input offsets are committed. */
    @WithDefault("1s")
    Duration commitInterval();

    /** When partitions are revoked, how long flushing their windows may take before they are released. */
    @WithDefault("10s")
    Duration rebalanceTimeout();

    /** On shutdown, how long open windows and calls in flight may take before the process exits anyway. */
    @WithDefault("20s")
    Duration shutdownTimeout();
}
