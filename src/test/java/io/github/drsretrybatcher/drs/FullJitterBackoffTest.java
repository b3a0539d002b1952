package io.github.drsretrybatcher.drs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class FullJitterBackoffTest {

    @RepeatedTest(20)
    void delaysStayUnderADoublingCeiling() {
        FullJitterBackoff backoff = new FullJitterBackoff(Duration.ofMillis(1000), Duration.ofMillis(50));
        backoff.init(100);
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (long ceiling : ceilings) {
            assertThat(backoff.nextDelayInMillis(new RuntimeException())).isBetween(0L, ceiling);
        }
    }

    @Test
    void retryAfterIsHonouredUpToTheMaximum() {
        FullJitterBackoff backoff = new FullJitterBackoff(Duration.ofSeconds(10), Duration.ofMillis(50));
        backoff.init(1);
        CallAnswer throttled = new CallAnswer(429, null, MissingNode.getInstance(), Duration.ofSeconds(3));
        assertThat(backoff.nextDelayInMillis(new TransientApiException(throttled, false))).isEqualTo(3000);
        CallAnswer tooLong = new CallAnswer(429, null, MissingNode.getInstance(), Duration.ofMinutes(5));
        assertThat(backoff.nextDelayInMillis(new TransientApiException(tooLong, false))).isEqualTo(10_000);
    }

    @Test
    void retryAfterHeaderForms() {
        assertThat(DrsClient.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(DrsClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(DrsClient.retryAfter("soon")).isNull();
        assertThat(DrsClient.retryAfter(null)).isNull();
    }
}
