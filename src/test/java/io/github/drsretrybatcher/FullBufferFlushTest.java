package io.github.drsretrybatcher;

import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

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
 * With windows far longer than the test, a window can only close because the buffer is full: then the fullest
 * goes at once, and the others stay open while there is room again.
 */
@QuarkusTest
@TestProfile(FullBufferFlushTest.SmallBuffer.class)
@WithTestResource(PipelineResource.class)
class FullBufferFlushTest extends PipelineScenariosSupport {

    public static class SmallBuffer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("batch.window", "10m", "batch.max-buffered-records", "12");
        }
    }

    @Test
    void aFullBufferFlushesTheFullestWindow() {
        List<String> a = IntStream.range(0, 8).mapToObj(i -> Events.jobId("ok")).toList();
        List<String> b = IntStream.range(0, 4).mapToObj(i -> Events.jobId("ok")).toList();
        for (String job : a) {
            kafka.sendTask(job, task(PipelineResource.PROJECT_A, job).toString());
        }
        for (String job : b) {
            kafka.sendTask(job, task(PipelineResource.PROJECT_B, job).toString());
        }
        // the twelfth record fills the buffer: project A's window (8 jobs) goes, project B's (4) stays open
        outcomes(a.toArray(String[]::new));

        Set<String> both = new HashSet<>(a);
        both.addAll(b);
        var calls = drs.requestsFor(both);
        assertThat(calls).hasSize(1);
        assertThat(DrsSimulator.jobIds(calls.get(0))).containsExactlyInAnyOrderElementsOf(a);
    }
}
