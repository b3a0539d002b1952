package io.github.drsretrybatcher.it;

import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaBroker;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.ServiceProcess;
import io.github.drsretrybatcher.support.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Processes and brokers that die: after each fault every input record must end in an outcome (counted per job),
 * the offsets must be committed to the end, and the API calls must stay within their bound.
 */
class ProcessFaultsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void sigkillMidWindowLosesNothing() {
        String bootstrap = TestBroker.bootstrapServers();
        String topic = TestBroker.createTopic("drs.task.failed.sigkill-it", 3);
        try (DrsSimulator drs = new DrsSimulator(PipelineResource.TOKEN);
                KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            List<String> jobs = send(kafka, topic, 40);
            try (ServiceProcess first = ServiceProcess.start("sigkill-it-1",
                    PipelineResource.processSettings(bootstrap, drs, topic, "sigkill-it", "10m"))) {
                Awaitility.await().atMost(WAIT).until(() -> first.metric("drs_batcher_buffered_records") == 40.0);
                first.kill();
            }
            assertThat(kafka.committedToEnd("sigkill-it", topic)).isFalse();
            assertThat(drs.requestsFor(new HashSet<>(jobs))).isEmpty();

            try (ServiceProcess second = ServiceProcess.start("sigkill-it-2",
                    PipelineResource.processSettings(bootstrap, drs, topic, "sigkill-it", "300ms"))) {
                List<ConsumerRecord<byte[], byte[]>> outcomes = awaitOutcomes(kafka, jobs);
                assertThat(outcomes).extracting(Events::key).containsExactlyInAnyOrderElementsOf(jobs);
                Awaitility.await().atMost(WAIT).until(() -> kafka.committedToEnd("sigkill-it", topic));
                assertThat(second.terminate()).isZero();
            }
            // two projects, one or two windows each
            assertThat(drs.requestsFor(new HashSet<>(jobs)).size()).isBetween(2, 4);
        }
    }

    @Test
    void aRebalanceFlushesRevokedWindowsBeforeTheirOffsetsMove() {
        String bootstrap = TestBroker.bootstrapServers();
        String topic = TestBroker.createTopic("drs.task.failed.rebalance-it", 6);
        try (DrsSimulator drs = new DrsSimulator(PipelineResource.TOKEN);
                KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            List<String> jobs = new ArrayList<>(send(kafka, topic, 60));
            try (ServiceProcess first = ServiceProcess.start("rebalance-it-1",
                    PipelineResource.processSettings(bootstrap, drs, topic, "rebalance-it", "10m"))) {
                Awaitility.await().atMost(WAIT).until(() -> first.metric("drs_batcher_buffered_records") == 60.0);
                try (ServiceProcess second = ServiceProcess.start("rebalance-it-2",
                        PipelineResource.processSettings(bootstrap, drs, topic, "rebalance-it", "300ms"))) {
                    // the first instance gives up partitions: it flushes its windows before their offsets move
                    awaitOutcomes(kafka, jobs);
                    jobs.addAll(send(kafka, topic, 60));
                    Awaitility.await().atMost(WAIT).until(() -> kafka.readAll(KafkaTestClient.OUTCOMES,
                            r -> jobs.contains(Events.key(r))).size() >= 60 + 1);
                    assertThat(second.terminate()).isZero();
                }
                assertThat(first.terminate()).isZero();
            }
            List<ConsumerRecord<byte[], byte[]>> outcomes = kafka.readAll(KafkaTestClient.OUTCOMES,
                    r -> jobs.contains(Events.key(r)));
            assertThat(outcomes).extracting(Events::key).containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(kafka.committedToEnd("rebalance-it", topic)).isTrue();
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesNothing() {
        try (KafkaBroker broker = KafkaBroker.start();
                DrsSimulator drs = new DrsSimulator(PipelineResource.TOKEN);
                KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            String topic = "drs.task.failed";
            Map<String, String> config = PipelineResource.processSettings(broker.bootstrapServers(), drs, topic,
                    "broker-restart-it", "300ms");
            try (ServiceProcess service = ServiceProcess.start("broker-restart-it", config)) {
                List<String> jobs = new ArrayList<>(send(kafka, topic, 30));
                awaitOutcomes(kafka, jobs);
                broker.stop();
                broker.launch();
                jobs.addAll(send(kafka, topic, 30));
                List<ConsumerRecord<byte[], byte[]>> outcomes = awaitOutcomes(kafka, jobs);
                assertThat(outcomes.stream().map(Events::key).distinct()).containsExactlyInAnyOrderElementsOf(jobs);
                Awaitility.await().atMost(WAIT).until(() -> kafka.committedToEnd("broker-restart-it", topic));
                assertThat(service.terminate()).isZero();
            }
        }
    }

    private static List<String> send(KafkaTestClient kafka, String topic, int count) {
        List<String> jobs = IntStream.range(0, count).mapToObj(i -> Events.jobId("ok")).toList();
        for (int i = 0; i < jobs.size(); i++) {
            String project = i % 2 == 0 ? PipelineResource.PROJECT_A : PipelineResource.PROJECT_B;
            kafka.send(topic, jobs.get(i).getBytes(), task(project, jobs.get(i)).toString().getBytes());
        }
        return jobs;
    }

    /** Waits until every job has an outcome; returns all outcomes of those jobs (duplicates included). */
    private static List<ConsumerRecord<byte[], byte[]>> awaitOutcomes(KafkaTestClient kafka, List<String> jobs) {
        var wanted = new HashSet<>(jobs);
        Awaitility.await().atMost(WAIT).until(() -> kafka.readAll(KafkaTestClient.OUTCOMES,
                r -> wanted.contains(Events.key(r))).stream().map(Events::key).distinct().count() == jobs.size());
        return kafka.readAll(KafkaTestClient.OUTCOMES, r -> wanted.contains(Events.key(r)));
    }
}
