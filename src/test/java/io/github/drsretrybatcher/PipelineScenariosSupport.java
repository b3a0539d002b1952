package io.github.drsretrybatcher;

import static io.github.drsretrybatcher.support.Events.key;
import static io.github.drsretrybatcher.support.KafkaTestClient.DEAD_LETTERS;
import static io.github.drsretrybatcher.support.KafkaTestClient.OUTCOMES;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.support.DrsSimulator;
import io.github.drsretrybatcher.support.Events;
import io.github.drsretrybatcher.support.InjectDrsSimulator;
import io.github.drsretrybatcher.support.KafkaTestClient;
import io.github.drsretrybatcher.support.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What every end-to-end test needs: the simulator, a Kafka client, and waits for outcomes and dead letters. */
public abstract class PipelineScenariosSupport {

    protected static final Duration WAIT = Duration.ofSeconds(30);

    @InjectDrsSimulator
    protected DrsSimulator drs;

    protected static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(TestBroker.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** Waits for one outcome per job and returns them by job id. */
    protected static Map<String, ConsumerRecord<byte[], byte[]>> outcomes(String... jobs) {
        Set<String> wanted = Set.of(jobs);
        List<ConsumerRecord<byte[], byte[]>> records = kafka.await(OUTCOMES, r -> wanted.contains(key(r)), jobs.length, WAIT);
        assertThat(records).extracting(Events::key).containsExactlyInAnyOrder(jobs);
        return records.stream().collect(Collectors.toMap(Events::key, Function.identity()));
    }

    protected static ConsumerRecord<byte[], byte[]> deadLetter(String job) {
        return kafka.await(DEAD_LETTERS, r -> job.equals(key(r)), 1, WAIT).get(0);
    }

}
