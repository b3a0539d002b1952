package io.github.drsretrybatcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.PipelineScenarios;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The end-to-end scenarios against the packaged jar, with debug logging on; the token must not leak. */
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
}
