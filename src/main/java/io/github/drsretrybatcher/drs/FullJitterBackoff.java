package io.github.drsretrybatcher.drs;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Exponential backoff with full jitter (a uniform delay up to a ceiling that doubles per attempt), never shorter
 * than the {@code Retry-After} the server asked for. One instance serves one guarded call.
 */
final class FullJitterBackoff implements CustomBackoffStrategy {

    private final long maxMillis;
    private final long breakerPollMillis;
    private long ceilingMillis;

    /** {@code breakerPoll}: how long to wait before asking again while the circuit breaker is open. */
    FullJitterBackoff(Duration max, Duration breakerPoll) {
        this.maxMillis = max.toMillis();
        this.breakerPollMillis = Math.max(1, breakerPoll.toMillis());
    }

    @Override
    public void init(long initialDelayInMillis) {
        this.ceilingMillis = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        if (cause instanceof CircuitBreakerOpenException) {
            return breakerPollMillis;
        }
        long delay = ThreadLocalRandom.current().nextLong(ceilingMillis + 1);
        ceilingMillis = Math.min(maxMillis, ceilingMillis * 2);
        if (cause instanceof TransientApiException e && e.retryAfter() != null) {
            delay = Math.max(delay, Math.min(maxMillis, e.retryAfter().toMillis()));
        }
        return delay;
    }
}
