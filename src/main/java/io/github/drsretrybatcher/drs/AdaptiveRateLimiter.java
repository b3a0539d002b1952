package io.github.drsretrybatcher.drs;

import java.time.Duration;

/**
 * Paces calls to one endpoint: at most {@code maxRate} calls per second, halving the rate each time the API
 * throttles and creeping back up after successes. Callers get the delay to wait before their call; nothing
 * blocks. (SmallRye's rate limit rejects calls past the limit; this one queues them and adapts.)
 */
final class AdaptiveRateLimiter {

    private final double maxRate;
    private final double minRate;
    private double rate;
    private long nextFreeNanos;

    AdaptiveRateLimiter(double maxRate, double minRate) {
        this.maxRate = maxRate;
        this.minRate = Math.min(minRate, maxRate);
        this.rate = maxRate;
    }

    /** Reserves the next slot; returns how long to wait for it. */
    synchronized Duration reserve(long nowNanos) {
        long slot = Math.max(nowNanos, nextFreeNanos);
        nextFreeNanos = slot + (long) (1_000_000_000L / rate);
        return Duration.ofNanos(slot - nowNanos);
    }

    /** The API asked us to slow down. */
    synchronized void throttled() {
        rate = Math.max(minRate, rate / 2);
    }

    /** A call went through: recover a tenth of the configured rate. */
    synchronized void succeeded() {
        rate = Math.min(maxRate, rate + maxRate / 10);
    }

    synchronized double rate() {
        return rate;
    }
}
