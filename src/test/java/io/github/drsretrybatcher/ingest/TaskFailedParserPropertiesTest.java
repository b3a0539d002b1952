package io.github.drsretrybatcher.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsretrybatcher.event.DeadLetterException;
import io.github.drsretrybatcher.event.TaskFailed;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Hostile input never escapes as anything but a dead-letter decision, and what passes obeys every rule. */
class TaskFailedParserPropertiesTest {

    private final TaskFailedParser parser = new TaskFailedParser(new ObjectMapper(), Set.of("drs.task.failed"),
            "cn-north-4", 4096);

    @Property(tries = 3000)
    void randomBytesAreDeadLetteredOrValid(@ForAll @Size(max = 5000) byte[] value) {
        check(value);
    }

    @Property(tries = 3000)
    void adversarialJsonIsDeadLetteredOrValid(@ForAll("hostileJson") String json) {
        check(json.getBytes(StandardCharsets.UTF_8));
    }

    private void check(byte[] value) {
        try {
            TaskFailed task = parser.parse(value, new RecordHeaders(), "t", 0, 0);
            assertThat(task.projectId()).matches("[A-Za-z0-9]{1,64}");
            assertThat(task.jobId()).matches("[A-Za-z0-9-]{1,64}");
            assertThat(task.region()).matches("[a-z0-9-]{1,32}");
            assertThat(task.eventId()).isNotEmpty().hasSizeLessThanOrEqualTo(128);
        } catch (DeadLetterException expected) {
            assertThat(expected.code()).isNotNull();
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> hostileJson() {
        return HostileRecords.json();
    }
}
