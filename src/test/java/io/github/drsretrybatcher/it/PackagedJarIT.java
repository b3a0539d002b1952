package io.github.drsretrybatcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsretrybatcher.PipelineScenarios;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The end-to-end scenarios against the packaged jar (production profile), with debug logging on: the token must
 * not leak, and the logs are JSON lines carrying project, batch and job ids as fields.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedJarIT.DebugLogs.class)
@WithTestResource(PipelineResource.class)
class PackagedJarIT extends PipelineScenarios {

    public static class DebugLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.category.\"io.github.drsretrybatcher\".level", "DEBUG",
                    "quarkus.log.category.\"io.quarkus.rest.client\".level", "DEBUG");
        }
    }

    @AfterAll
    static void theTokenNeverReachedTheLog() throws IOException {
        String log = Files.readString(Path.of("target", "quarkus.log"));
        assertThat(log).contains("drs-retry-batcher").doesNotContain(PipelineResource.TOKEN);
    }

    @AfterAll
    static void logsAreJsonWithProjectBatchAndJobFields() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("target", "quarkus.log"))) {
            if (line.startsWith("{")) {
                lines.add(Events.MAPPER.readTree(line));
            }
        }
        assertThat(lines).as("JSON log lines").isNotEmpty()
                .allSatisfy(line -> assertThat(line.has("timestamp") && line.has("level") && line.has("message")).isTrue());
        // the debug line of every call, and the warning for each job that goes to the dead-letter topic
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("message").asText()).startsWith("POST ");
            assertThat(line.path("mdc").path("project_id").asText()).isNotEmpty();
            assertThat(line.path("mdc").path("batch_id").asText()).hasSize(36);
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("level").asText()).isEqualTo("WARN");
            assertThat(line.path("message").asText()).contains("dead-letter topic");
            assertThat(line.path("mdc").path("job_id").asText()).isNotEmpty();
            assertThat(line.path("mdc").path("project_id").asText()).isNotEmpty();
        });
    }
}
