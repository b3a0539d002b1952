package io.github.drsretrybatcher.drs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void spacesCallsAtTheConfiguredRate() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(10, 1);
        assertThat(limiter.reserve(0)).isEqualTo(Duration.ZERO);
        assertThat(limiter.reserve(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(limiter.reserve(0)).isEqualTo(Duration.ofMillis(200));
        assertThat(limiter.reserve(SECOND)).as("idle time is not banked").isEqualTo(Duration.ZERO);
    }

    @Test
    void halvesOnThrottlingDownToTheMinimumAndRecovers() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(8, 1);
        limiter.throttled();
        assertThat(limiter.rate()).isEqualTo(4.0);
        limiter.throttled();
        limiter.throttled();
        limiter.throttled();
        assertThat(limiter.rate()).isEqualTo(1.0);
        limiter.reserve(0);
        assertThat(limiter.reserve(0)).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 20; i++) {
            limiter.succeeded();
        }
        assertThat(limiter.rate()).isEqualTo(8.0);
    }
}
