package io.github.drsretrybatcher;

import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.PipelineResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * With a window far longer than the test, a window can only close by size: 200 distinct jobs of one project
 * must arrive as exactly two calls of {@code batch.max-size} = 100 jobs.
 */
@QuarkusTest
@TestProfile(MaxSizeFlushTest.LongWindow.class)
@WithTestResource(PipelineResource.class)
class MaxSizeFlushTest extends PipelineScenariosSupport {

    public static class LongWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("batch.window", "10m");
        }
    }

    @Test
    void fullWindowsAreFlushedAtMaxSize() {
        List<String> jobs = IntStream.range(0, 200).mapToObj(i -> Events.jobId("ok")).toList();
        for (String job : jobs) {
            kafka.sendTask(job, task(PipelineResource.PROJECT_B, job).toString());
        }
        outcomes(jobs.toArray(String[]::new));

        List<LoggedRequest> calls = drs.requestsFor(new HashSet<>(jobs));
        assertThat(calls).hasSize(2);
        Set<String> sent = new HashSet<>();
        for (LoggedRequest call : calls) {
            assertThat(DrsSimulator.jobIds(call)).hasSize(100);
            sent.addAll(DrsSimulator.jobIds(call));
        }
        assertThat(sent).containsExactlyInAnyOrderElementsOf(jobs);
    }
}
