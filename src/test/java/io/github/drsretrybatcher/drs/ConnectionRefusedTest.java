package io.github.drsretrybatcher.drs;

import static io.github.drsretrybatcher.support.Events.json;
import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsretrybatcher.PipelineScenariosSupport;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaBroker;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Nothing listens where the API should be: connections are refused until the give-up time, then dead letters. */
@QuarkusTest
@TestProfile(ConnectionRefusedTest.NobodyHome.class)
@WithTestResource(PipelineResource.class)
class ConnectionRefusedTest extends PipelineScenariosSupport {

    public static class NobodyHome implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("drs.endpoint", "http://127.0.0.1:" + KafkaBroker.freePort() + "/{region}",
                    "drs.call.give-up-after", "3s");
        }
    }

    @Test
    void refusedConnectionsEndInApiUnavailableAndDeadLetters() {
        String job = Events.jobId("ok");
        String value = task(PipelineResource.PROJECT_A, job).toString();
        kafka.sendTask(job, value);
        JsonNode outcome = json(outcomes(job).get(job).value());
        assertThat(outcome.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(outcome.get("reason").asText()).isEqualTo("API_UNAVAILABLE");
        assertThat(outcome.get("attempts").asInt()).isBetween(1, 3);
        assertThat(outcome.get("error_msg").asText()).containsIgnoringCase("connect");
        var letter = deadLetter(job);
        assertThat(Events.header(letter, "dead-letter-code")).isEqualTo("API_UNAVAILABLE");
        assertThat(Events.text(letter.value())).isEqualTo(value);
    }
}
