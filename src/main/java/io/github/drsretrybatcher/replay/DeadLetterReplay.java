package io.github.drsretrybatcher.replay;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays dead letters: reads the dead-letter topic up to its current end, keeps the records whose code and time
 * match, lists them, and (only with {@code execute}) re-publishes each original record (key, value, headers
 * without {@code dead-letter-*}) to the input topic. Started as {@code quarkus-run.jar replay ...}.
 */
public final class DeadLetterReplay {

    /** What to replay. Null bounds and an empty code set match everything. */
    public record Options(String bootstrapServers, String from, String to, Set<String> codes, Instant since,
            Instant until, boolean execute, Map<String, String> kafka) {
    }

    /** One dead letter that matched. */
    public record Match(int partition, long offset, Instant time, String code, String reason) {
    }

    private static final String PREFIX = "dead-letter-";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DeadLetterReplay() {
    }

    /** Lists (and with {@code execute} re-publishes) the matching dead letters; returns them. */
    public static List<Match> run(Options options, PrintStream out) {
        List<ConsumerRecord<byte[], byte[]>> matched = read(options);
        List<Match> matches = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : matched) {
            Match match = new Match(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                    header(record, "code"), header(record, "reason"));
            matches.add(match);
            out.printf("%s-%d@%d  %s  %s  %s%n", options.from(), match.partition(), match.offset(), match.time(),
                    match.code(), match.reason());
        }
        if (!options.execute()) {
            out.printf("%d dead letters match; dry run, nothing re-published (add --execute)%n", matches.size());
            return matches;
        }
        publish(options, matched);
        out.printf("%d dead letters re-published to %s%n", matches.size(), options.to());
        return matches;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(Options options) {
        Properties props = client(options);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> matched = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(options.from(), TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.multipliedBy(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Reading " + options.from() + " took too long");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && matches(options, record)) {
                        matched.add(record);
                    }
                }
            }
        }
        return matched;
    }

    private static boolean matches(Options options, ConsumerRecord<byte[], byte[]> record) {
        Instant time = Instant.ofEpochMilli(record.timestamp());
        String code = header(record, "code");
        return (options.codes().isEmpty() || options.codes().contains(code))
                && (options.since() == null || !time.isBefore(options.since()))
                && (options.until() == null || time.isBefore(options.until()));
    }

    private static void publish(Options options, List<ConsumerRecord<byte[], byte[]>> records) {
        Properties props = client(options);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                RecordHeaders headers = new RecordHeaders();
                for (Header header : record.headers()) {
                    if (!header.key().startsWith(PREFIX)) {
                        headers.add(header);
                    }
                }
                sent.add(producer.send(new ProducerRecord<>(options.to(), null, record.key(), record.value(),
                        headers)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Re-publishing failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static Properties client(Options options) {
        Properties props = new Properties();
        props.putAll(options.kafka());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        return props;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(PREFIX + name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
