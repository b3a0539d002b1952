package io.github.drsretrybatcher.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain kafka-clients helpers of the benchmark: topics, bulk loading, offsets, reading a topic range. */
final class BenchKafka implements AutoCloseable {

    private final String bootstrap;
    private final Admin admin;

    BenchKafka(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    void createTopics(int partitions, String... topics) {
        try {
            admin.createTopics(List.of(topics).stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList())
                    .all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the topics " + List.of(topics), e);
        }
    }

    /** A producer tuned for throughput: batched, compressed, {@code acks=all}, idempotent. */
    KafkaProducer<byte[], byte[]> producer(BenchSettings settings, int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(settings.pipeBatchBytes));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.pipeCompression);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64L * 1024 * 1024));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends {@code count} records made by {@code records} and waits until the broker has them all. */
    void load(BenchSettings settings, String topic, long first, long count,
            LongFunction<EventGenerator.Event> records) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(settings, 20)) {
            for (long n = first; n < first + count && failed.get() == null; n++) {
                EventGenerator.Event event = records.apply(n);
                producer.send(new ProducerRecord<>(topic, event.key(), event.value()), (md, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("loading " + topic + " failed", failed.get());
        }
    }

    Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            List<TopicPartition> partitions = partitions(topic);
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end offsets of " + topic, e);
        }
    }

    /** Records of {@code topic} from the group's committed offsets to the end, summed over the partitions. */
    long lag(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : endOffsets(topic).entrySet()) {
                OffsetAndMetadata c = committed.get(end.getKey());
                lag += end.getValue() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the offsets of group " + group, e);
        }
    }

    private List<TopicPartition> partitions(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Hands every record of {@code topic} between {@code from} (null: the beginning) and the end now to {@code sink}. */
    long read(String topic, Map<TopicPartition, Long> from, Consumer<ConsumerRecord<byte[], byte[]>> sink,
            Duration timeout) {
        Map<TopicPartition, Long> end = endOffsets(topic);
        long count = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            consumer.assign(end.keySet());
            for (TopicPartition p : end.keySet()) {
                consumer.seek(p, from == null ? 0 : from.getOrDefault(p, 0L));
            }
            while (end.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took longer than " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        sink.accept(record);
                        count++;
                    }
                }
            }
        }
        return count;
    }

    KafkaConsumer<byte[], byte[]> consumer(String group) {
        return consumer(group, 2000);
    }

    KafkaConsumer<byte[], byte[]> consumer(String group, int maxPollRecords) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords));
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
