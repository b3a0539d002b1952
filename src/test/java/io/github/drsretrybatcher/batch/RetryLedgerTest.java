package io.github.drsretrybatcher.batch;

import static io.github.drsretrybatcher.batch.RetryLedger.Verdict.ALLOWED;
import static io.github.drsretrybatcher.batch.RetryLedger.Verdict.BUDGET_EXHAUSTED;
import static io.github.drsretrybatcher.batch.RetryLedger.Verdict.COOLDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryLedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private final RetryLedger ledger = new RetryLedger(Duration.ofSeconds(30), 3, Duration.ofHours(24), 1000);

    @Test
    void cooldownAfterEachSend() {
        assertThat(ledger.check("j", T0)).isEqualTo(ALLOWED);
        ledger.sent("j", T0);
        assertThat(ledger.check("j", T0.plusSeconds(29))).isEqualTo(COOLDOWN);
        assertThat(ledger.check("j", T0.plusSeconds(30))).isEqualTo(ALLOWED);
        assertThat(ledger.check("other", T0.plusSeconds(1))).isEqualTo(ALLOWED);
    }

    @Test
    void budgetPerPeriod() {
        ledger.sent("j", T0);
        ledger.sent("j", T0.plusSeconds(60));
        ledger.sent("j", T0.plusSeconds(120));
        assertThat(ledger.check("j", T0.plusSeconds(300))).isEqualTo(BUDGET_EXHAUSTED);
        assertThat(ledger.check("j", T0.plus(Duration.ofHours(24)).plusSeconds(1))).isEqualTo(ALLOWED);
        ledger.sent("j", T0.plus(Duration.ofHours(24)).plusSeconds(61));
        assertThat(ledger.check("j", T0.plus(Duration.ofHours(24)).plusSeconds(300)))
                .as("sends older than the period no longer count").isEqualTo(ALLOWED);
    }

    @Test
    void memoryIsBounded() {
        RetryLedger small = new RetryLedger(Duration.ofSeconds(30), 3, Duration.ofHours(24), 2);
        small.sent("a", T0);
        small.sent("b", T0);
        small.check("a", T0);
        small.sent("c", T0);
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.check("a", T0.plusSeconds(1))).as("recently used, kept").isEqualTo(COOLDOWN);
        assertThat(small.check("b", T0.plusSeconds(1))).as("least recently used, forgotten").isEqualTo(ALLOWED);
    }

    @Test
    void sendsToldInAnyOrderKeepTheNewest() {
        ledger.sent("j", T0.plusSeconds(120));
        ledger.sent("j", T0);
        ledger.sent("j", T0.plusSeconds(60));
        assertThat(ledger.check("j", T0.plusSeconds(130))).isEqualTo(COOLDOWN);
        assertThat(ledger.check("j", T0.plusSeconds(300))).isEqualTo(BUDGET_EXHAUSTED);
        ledger.sent("j", T0.minusSeconds(600));
        assertThat(ledger.check("j", T0.plus(Duration.ofHours(24)).minusSeconds(1)))
                .as("the send told last is the oldest: it is the one dropped").isEqualTo(BUDGET_EXHAUSTED);
    }
}
