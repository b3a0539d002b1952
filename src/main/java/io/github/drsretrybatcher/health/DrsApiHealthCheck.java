package io.github.drsretrybatcher.health;

import io.github.drsretrybatcher.drs.DrsClient;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether the DRS API's circuit breaker lets calls through, at {@code /q/health/well}: an open breaker pauses
 * consumption by design, so it must not take the pod out of readiness or get it restarted.
 */
@Wellness
@ApplicationScoped
public class DrsApiHealthCheck implements HealthCheck {

    private final DrsClient drs;

    DrsApiHealthCheck(DrsClient drs) {
        this.drs = drs;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("drs-api")
                .status(drs.acceptsCalls())
                .withData("breaker", DrsClient.BREAKER)
                .withData("state", drs.acceptsCalls() ? "closed or half-open" : "open: consumption paused")
                .build();
    }
}
