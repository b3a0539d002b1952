package io.github.drsretrybatcher.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads outcome records: the {@code outcome} and every {@code source_event_ids} entry of each, handing the event
 * numbers with the outcome record's timestamp to a sink. A streaming parser: a million outcomes take seconds.
 */
final class OutcomeScan {

    @FunctionalInterface
    interface Sink {
        void event(long eventNumber, long outcomeTimestamp);
    }

    private static final JsonFactory JSON = new JsonFactory();

    final Map<String, Long> outcomes = new TreeMap<>();
    long records;
    long unparsable;
    long foreignIds;

    void accept(ConsumerRecord<byte[], byte[]> record, Sink sink) {
        records++;
        if (record.value() == null) {
            unparsable++;
            return;
        }
        try (JsonParser parser = JSON.createParser(record.value())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                unparsable++;
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("outcome".equals(field) && value == JsonToken.VALUE_STRING) {
                    outcomes.merge(parser.getText(), 1L, Long::sum);
                } else if ("source_event_ids".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.VALUE_STRING) {
                        long n = EventGenerator.eventNumber(parser.getText());
                        if (n < 0) {
                            foreignIds++;
                        } else {
                            sink.event(n, record.timestamp());
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            unparsable++;
        }
    }
}
