package io.github.drsretrybatcher.it;

import static io.github.drsretrybatcher.support.Events.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.drsretrybatcher.bench.BenchSettings;
import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.PipelineResource;
import io.github.drsretrybatcher.support.ServiceProcess;
import io.github.drsretrybatcher.support.TestBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The JVM image's start-up path, on the packaged jar: a training run with {@code docker/Dockerfile.jvm}'s JVM
 * flags and {@code -XX:AOTCacheOutput} writes an AOT cache as it exits, and the next run starts with it under
 * {@code -XX:AOTMode=on} (the JVM refuses to start when the cache does not fit the jar or the flags) and works.
 * Needs a JDK 25 or later ({@code aot.java.home}, Temurin's on the build machines); skipped without one.
 */
class AotCacheIT {

    private static final Pattern JVM_FLAGS = Pattern.compile("(?m)^ARG JVM_FLAGS=\"([^\"]+)\"$");

    @Test
    void aTrainedCacheIsAcceptedAndTheServiceWorksWithIt() throws IOException {
        assumeTrue(System.getProperty("native.image.path", "").isBlank(), "the native executable has no AOT cache");
        String javaHome = System.getProperty("aot.java.home", "");
        assumeTrue(featureVersion(javaHome) >= 25, "no JDK 25+ at aot.java.home '" + javaHome + "'");

        Matcher shipped = JVM_FLAGS.matcher(Files.readString(Path.of("docker", "Dockerfile.jvm")));
        assertThat(shipped.find()).as("docker/Dockerfile.jvm declares ARG JVM_FLAGS").isTrue();
        assertThat(shipped.group(1)).as("the image runs with the flags the benchmark measures")
                .isEqualTo(BenchSettings.SERVICE_JVM_FLAGS);
        List<String> flags = Arrays.asList(shipped.group(1).split("\\s+"));
        Path cache = Path.of("target", "aot-it", "app.aot").toAbsolutePath();
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);
        // the service logs are appended to: read only this run's
        Files.deleteIfExists(Path.of("target", "aot-it-training.log"));
        Files.deleteIfExists(Path.of("target", "aot-it-cached.log"));

        String bootstrap = TestBroker.bootstrapServers();
        String topic = TestBroker.createTopic("drs.task.failed.aot-it", 3);
        try (DrsSimulator drs = new DrsSimulator(PipelineResource.TOKEN);
                KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            Map<String, String> config = PipelineResource.processSettings(bootstrap, drs, topic, "aot-it", "300ms");
            try (ServiceProcess training = ServiceProcess.start("aot-it-training", config, javaHome,
                    with(flags, "-XX:AOTCacheOutput=" + cache))) {
                retried(kafka, topic, 20);
                assertThat(training.terminate()).isZero();
            }
            assertThat(cache).isRegularFile();

            try (ServiceProcess cached = ServiceProcess.start("aot-it-cached", config, javaHome,
                    with(flags, "-XX:AOTMode=on", "-XX:AOTCache=" + cache))) {
                retried(kafka, topic, 5);
                assertThat(cached.terminate()).isZero();
            }
        }
        assertThat(Files.readString(Path.of("target", "aot-it-cached.log"))).doesNotContain("[aot]");
    }

    /** Sends {@code count} new jobs the simulator accepts and waits for their outcomes. */
    private static void retried(KafkaTestClient kafka, String topic, int count) {
        List<String> jobs = IntStream.range(0, count).mapToObj(i -> Events.jobId("ok")).toList();
        jobs.forEach(job -> kafka.send(topic, job.getBytes(),
                task(PipelineResource.PROJECT_A, job).toString().getBytes()));
        var outcomes = kafka.await(KafkaTestClient.OUTCOMES, r -> jobs.contains(Events.key(r)), count,
                Duration.ofSeconds(30));
        assertThat(outcomes).extracting(r -> Events.json(r.value()).get("outcome").asText())
                .containsOnly("RETRY_ACCEPTED");
    }

    private static List<String> with(List<String> flags, String... more) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of(more));
        return all;
    }

    /** The major version in {@code <javaHome>/release}, or 0 when there is no JDK there. */
    private static int featureVersion(String javaHome) throws IOException {
        Path release = Path.of(javaHome, "release");
        if (javaHome.isBlank() || !Files.isRegularFile(release)) {
            return 0;
        }
        Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
        return version.find() ? Integer.parseInt(version.group(1)) : 0;
    }
}
