package io.github.drsretrybatcher.it;

import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaBroker;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.TestBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while records sit in open windows: the packaged service flushes them, publishes every outcome, commits
 * the offsets and exits 0.
 */
class GracefulShutdownIT {

    private static final String TOPIC = "drs.task.failed.shutdown-it";
    private static final String GROUP = "shutdown-it";

    @Test
    void sigtermFlushesPublishesCommitsAndExitsZero() throws Exception {
        String bootstrap = TestBroker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (DrsSimulator drs = new DrsSimulator(PipelineResource.TOKEN);
                KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            int port = KafkaBroker.freePort();
            Map<String, String> config = PipelineResource.settings(bootstrap, drs.endpointTemplate());
            config.put("batch.window", "10m");
            config.put("quarkus.http.port", Integer.toString(port));
            config.put("mp.messaging.incoming.task-failed.topic", TOPIC);
            config.put("mp.messaging.incoming.task-failed.group.id", GROUP);
            Process service = start(config);
            try {
                awaitReady(port);
                List<String> jobs = IntStream.range(0, 30).mapToObj(i -> Events.jobId("ok")).toList();
                for (int i = 0; i < jobs.size(); i++) {
                    String project = i % 2 == 0 ? PipelineResource.PROJECT_A : PipelineResource.PROJECT_B;
                    kafka.send(TOPIC, jobs.get(i).getBytes(), task(project, jobs.get(i)).toString().getBytes());
                }
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> metrics(port).contains("drs_batcher_buffered_records 30.0"));
                assertThat(drs.requestsFor(new HashSet<>(jobs))).isEmpty();

                service.destroy();
                assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(service.exitValue()).isZero();

                var outcomes = kafka.readAll(KafkaTestClient.OUTCOMES, r -> jobs.contains(Events.key(r)));
                assertThat(outcomes).extracting(Events::key).containsExactlyInAnyOrderElementsOf(jobs);
                assertThat(drs.requestsFor(new HashSet<>(jobs))).hasSize(2);
                assertThat(kafka.committedToEnd(GROUP, TOPIC)).isTrue();
            } finally {
                service.destroyForcibly();
            }
        }
    }

    private static Process start(Map<String, String> config) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(System.getProperty("quarkus.jar", "target/quarkus-app/quarkus-run.jar"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "graceful-shutdown-it.log").toFile()).start();
    }

    private static void awaitReady(int port) {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    private static String metrics(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
