package io.github.drsretrybatcher.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.drsretrybatcher.support.Events.task;
import static io.github.drsretrybatcher.support.PipelineResource.PROJECT_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsretrybatcher.PipelineScenarios;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.github.drsretrybatcher.support.DrsSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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

    /**
     * Makes its own lines (a call refused with 403, whose job goes to the dead-letter topic), so that it holds
     * whichever scenarios ran before it in this process.
     */
    @Test
    void logsAreJsonWithProjectBatchAndJobFields() {
        String job = Events.jobId("ok");
        drs.server().stubFor(post(urlPathMatching(DrsSimulator.PATH_PATTERN)).atPriority(1)
                .withRequestBody(containing(job))
                .willReturn(aResponse().withStatus(403).withBody("{\"error_code\":\"DRS.M00102\"}")));
        kafka.sendTask(job, task(PROJECT_A, job).toString());
        outcomes(job);

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("target", "quarkus.log"))) {
                if (line.startsWith("{")) {
                    lines.add(Events.MAPPER.readTree(line));
                }
            }
            assertThat(lines).as("JSON log lines").isNotEmpty().allSatisfy(line ->
                    assertThat(line.has("timestamp") && line.has("level") && line.has("message")).isTrue());
            // the debug line of the call, and the warning for the job that goes to the dead-letter topic
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.path("message").asText()).startsWith("POST ").contains(PROJECT_A);
                assertThat(line.path("mdc").path("project_id").asText()).isEqualTo(PROJECT_A);
                assertThat(line.path("mdc").path("batch_id").asText()).hasSize(36);
            });
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.path("level").asText()).isEqualTo("WARN");
                assertThat(line.path("message").asText()).contains("dead-letter topic");
                assertThat(line.path("mdc").path("job_id").asText()).isEqualTo(job);
                assertThat(line.path("mdc").path("project_id").asText()).isEqualTo(PROJECT_A);
            });
        });
    }
}
