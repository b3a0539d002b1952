package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.event.TaskFailed;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;

/** A valid input record waiting for its outcome; {@code record} is acknowledged once the outcome is published. */
public record PendingRecord(TaskFailed task, IncomingKafkaRecord<byte[], byte[]> record) {
}
