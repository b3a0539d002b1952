package io.github.drsretrybatcher.drs.auth;

import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.TestBroker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Calls over HTTPS to a server whose certificate only the configured CA bundle vouches for. */
@QuarkusTest
@WithTestResource(TlsResource.class)
class TlsTest {

    DrsSimulator drs;

    @Test
    void callsGoOverHttpsTrustingTheConfiguredBundle() {
        try (KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            String job = Events.jobId("ok");
            kafka.sendTask(job, task(PipelineResource.PROJECT_A, job).toString());
            var outcome = kafka.await(KafkaTestClient.OUTCOMES, r -> job.equals(Events.key(r)), 1,
                    Duration.ofSeconds(30)).get(0);
            assertThat(json(outcome.value()).get("outcome").asText()).isEqualTo("RETRY_ACCEPTED");
            assertThat(drs.requestsFor(Set.of(job))).hasSize(1);
            assertThat(drs.endpointTemplate()).startsWith("https://");
        }
    }
}
