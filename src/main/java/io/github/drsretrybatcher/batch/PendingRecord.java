package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.event.TaskFailed;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A valid input record waiting for its outcome; {@code record} is finished once the outcome is published. Only the
 * Kafka record is kept, not the connector's message around it: a record outlives several young collections while
 * its window fills, so whatever is kept per record is promoted (the message, its metadata and context were about a
 * third of that).
 */
public record PendingRecord(TaskFailed task, ConsumerRecord<byte[], byte[]> record) {
}
