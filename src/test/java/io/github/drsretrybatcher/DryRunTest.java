package io.github.drsretrybatcher;

import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.Schemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.github.drsretrybatcher.support.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code drs.dry-run=true}: windows are decided and published as {@code DRY_RUN}, and no call leaves. */
@QuarkusTest
@TestProfile(DryRunTest.DryRun.class)
@WithTestResource(PipelineResource.class)
class DryRunTest extends PipelineScenariosSupport {

    public static class DryRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("drs.dry-run", "true", "batch.window", "2s");
        }
    }

    @Test
    void decidesWithoutCallingTheApi() {
        String first = Events.jobId("ok");
        String second = Events.jobId("ok");
        // one key, so one partition and one poll: the three records share a window
        byte[] key = first.getBytes(StandardCharsets.UTF_8);
        for (String job : List.of(first, second, first)) {
            kafka.send(KafkaTestClient.INPUT, key, task(PipelineResource.PROJECT_A, job).toString()
                    .getBytes(StandardCharsets.UTF_8));
        }

        var outcomes = outcomes(first, second);
        JsonNode outcome = json(outcomes.get(first).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("DRY_RUN");
        assertThat(outcome.get("attempts").asInt()).isZero();
        assertThat(outcome.get("batch_size").asInt()).isEqualTo(2);
        assertThat(outcome.get("source_event_ids")).hasSize(2);
        Schemas.assertValid(Schemas.OUTCOME, outcome.toString());
        assertThat(drs.requestsFor(Set.of(first, second))).isEmpty();
    }
}
