package io.github.drsretrybatcher.bench;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * "The machine's limit": the least a Kafka consume-then-produce service must do per record, with plain
 * kafka-clients in one thread. One output record per input record (batched, compressed, {@code acks=all}); the
 * input offsets are committed every {@code bench.pipe.commit.ms}, each partition only up to the last record
 * whose output the broker has acknowledged, like the service's own committer.
 */
final class ReferencePipe {

    /** One input record whose output is in flight. */
    private static final class Pending {
        final long offset;
        volatile boolean acked;

        Pending(long offset) {
            this.offset = offset;
        }
    }

    record Result(long records, double seconds, double eventsPerSecond, long commits) {
    }

    private ReferencePipe() {
    }

    static Result run(BenchKafka kafka, BenchSettings settings, String input, String output, String group,
            long expected) {
        AtomicLong acked = new AtomicLong();
        AtomicLong lastAckNanos = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Map<TopicPartition, ArrayDeque<Pending>> pending = new HashMap<>();
        long commits = 0;
        long firstNanos = -1;
        long deadline = System.nanoTime() + settings.phaseTimeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(group, settings.pipeMaxPollRecords);
                KafkaProducer<byte[], byte[]> producer = kafka.producer(settings, settings.pipeLingerMs)) {
            consumer.subscribe(List.of(input));
            long lastCommit = System.nanoTime();
            while (acked.get() < expected) {
                if (failed.get() != null) {
                    throw new IllegalStateException("the reference pipe failed to produce", failed.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the reference pipe did not finish within " + settings.phaseTimeout
                            + " (" + acked.get() + " of " + expected + ")");
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                if (!records.isEmpty() && firstNanos < 0) {
                    firstNanos = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Pending p = new Pending(record.offset());
                    pending.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                            tp -> new ArrayDeque<>()).addLast(p);
                    producer.send(new ProducerRecord<>(output, null, record.timestamp(), record.key(), record.value(),
                            record.headers()), (md, e) -> {
                                if (e != null) {
                                    failed.compareAndSet(null, e);
                                    return;
                                }
                                p.acked = true;
                                lastAckNanos.set(System.nanoTime());
                                acked.incrementAndGet();
                            });
                }
                if (System.nanoTime() - lastCommit >= settings.pipeCommitMs * 1_000_000L) {
                    commits += commitAcked(consumer, pending, false) ? 1 : 0;
                    lastCommit = System.nanoTime();
                }
            }
            producer.flush();
            commits += commitAcked(consumer, pending, true) ? 1 : 0;
        }
        double seconds = (lastAckNanos.get() - firstNanos) / 1e9;
        return new Result(acked.get(), seconds, acked.get() / seconds, commits);
    }

    /**
     * Commits, per partition, the offset after the longest run of acknowledged records (asynchronously but for the
     * last commit); true when it did.
     */
    private static boolean commitAcked(KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, ArrayDeque<Pending>> pending, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        pending.forEach((partition, queue) -> {
            long next = -1;
            while (!queue.isEmpty() && queue.peekFirst().acked) {
                next = queue.pollFirst().offset + 1;
            }
            if (next >= 0) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        });
        if (offsets.isEmpty()) {
            return false;
        }
        if (sync) {
            consumer.commitSync(offsets, Duration.ofSeconds(30));
        } else {
            consumer.commitAsync(offsets, (done, e) -> {
                // a failed periodic commit is followed by the next one; the final commit is synchronous
            });
        }
        return true;
    }
}
