package io.github.drsretrybatcher.it;

import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.ServiceProcess;
import io.github.drsretrybatcher.support.TestBroker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while records sit in open windows: the packaged service flushes them, publishes every outcome, commits
 * the offsets and exits 0.
 */
class GracefulShutdownIT {

    @Test
    void sigtermFlushesPublishesCommitsAndExitsZero() {
        String bootstrap = TestBroker.bootstrapServers();
        String topic = TestBroker.createTopic("drs.task.failed.shutdown-it", 3);
        try (DrsSimulator drs = new DrsSimulator(PipelineResource.TOKEN);
                KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                ServiceProcess service = ServiceProcess.start("graceful-shutdown-it",
                        PipelineResource.processSettings(bootstrap, drs, topic, "shutdown-it", "10m"))) {
            List<String> jobs = IntStream.range(0, 30).mapToObj(i -> Events.jobId("ok")).toList();
            for (int i = 0; i < jobs.size(); i++) {
                String project = i % 2 == 0 ? PipelineResource.PROJECT_A : PipelineResource.PROJECT_B;
                kafka.send(topic, jobs.get(i).getBytes(), task(project, jobs.get(i)).toString().getBytes());
            }
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.metric("drs_batcher_buffered_records") == 30.0);
            assertThat(drs.requestsFor(new HashSet<>(jobs))).isEmpty();

            assertThat(service.terminate()).isZero();

            var outcomes = kafka.readAll(KafkaTestClient.OUTCOMES, r -> jobs.contains(Events.key(r)));
            assertThat(outcomes).extracting(Events::key).containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(drs.requestsFor(new HashSet<>(jobs))).hasSize(2);
            assertThat(kafka.committedToEnd("shutdown-it", topic)).isTrue();

            // the retry budget outlives the process: a job sent moments ago is held back by the next instance
            try (ServiceProcess next = ServiceProcess.start("graceful-shutdown-it-next",
                    PipelineResource.processSettings(bootstrap, drs, topic, "shutdown-it", "300ms"))) {
                String again = jobs.get(0);
                kafka.send(topic, again.getBytes(), task(PipelineResource.PROJECT_A, again).toString().getBytes());
                var both = kafka.await(KafkaTestClient.OUTCOMES, r -> again.equals(Events.key(r)), 2,
                        Duration.ofSeconds(30));
                assertThat(both).extracting(r -> Events.json(r.value()).get("reason").asText())
                        .contains("COOLDOWN");
                assertThat(drs.requestsFor(java.util.Set.of(again))).hasSize(1);
                assertThat(next.terminate()).isZero();
            }
        }
    }
}
