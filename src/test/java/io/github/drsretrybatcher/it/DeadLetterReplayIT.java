package io.github.drsretrybatcher.it;

import static io.github.drsretrybatcher.support.Events.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.ServiceProcess;
import io.github.drsretrybatcher.support.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code quarkus-run.jar replay ...} (or the native executable's {@code replay ...}) against a real broker: a
 * dry-run listing first, then the re-publish.
 */
class DeadLetterReplayIT {

    @Test
    void listsThenRepublishesTheMatchingOriginals() throws Exception {
        String bootstrap = TestBroker.bootstrapServers();
        String dlq = TestBroker.createTopic("replay-it.dlq", 2);
        String input = TestBroker.createTopic("replay-it.input", 2);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            for (int i = 0; i < 3; i++) {
                String code = i < 2 ? "API_UNAVAILABLE" : "INVALID_EVENT";
                kafka.send(dlq, ("key-" + i).getBytes(StandardCharsets.UTF_8),
                        ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                        header("x-trace", "t-" + i), header("dead-letter-code", code),
                        header("dead-letter-reason", "reason " + i), header("dead-letter-offset", "7"));
            }

            Result listing = replay("--bootstrap-servers", bootstrap, "--from", dlq, "--to", input,
                    "--code", "API_UNAVAILABLE");
            assertThat(listing.exit()).isZero();
            assertThat(listing.output()).contains("2 dead letters match; dry run", "reason 0", "reason 1")
                    .doesNotContain("reason 2");
            assertThat(kafka.readAll(input, r -> true)).isEmpty();

            Result replayed = replay("--bootstrap-servers", bootstrap, "--from", dlq, "--to", input,
                    "--code", "API_UNAVAILABLE", "--execute");
            assertThat(replayed.exit()).isZero();
            assertThat(replayed.output()).contains("2 dead letters re-published to " + input);
            var records = kafka.readAll(input, r -> true);
            assertThat(records).extracting(Events::key).containsExactlyInAnyOrder("key-0", "key-1");
            for (var record : records) {
                String n = Events.key(record).substring(4);
                assertThat(Events.text(record.value())).isEqualTo("{\"n\":" + n + "}");
                assertThat(Events.header(record, "x-trace")).isEqualTo("t-" + n);
                assertThat(record.headers().toArray()).noneMatch(h -> h.key().startsWith("dead-letter-"));
            }

            assertThat(replay("--bogus", "x").exit()).isEqualTo(2);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result replay(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("replay"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(ServiceProcess.command(List.of(), command)).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
