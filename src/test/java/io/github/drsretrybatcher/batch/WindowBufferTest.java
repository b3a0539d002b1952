package io.github.drsretrybatcher.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.drsretrybatcher.event.TaskFailed;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowBufferTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private final WindowBuffer buffer = new WindowBuffer(Duration.ofSeconds(1), 3);

    private static PendingRecord record(String region, String project, String job, String eventId) {
        return new PendingRecord(new TaskFailed(project, job, eventId, region, false, null, null),
                null);
    }

    @Test
    void aWindowIsFlushedWhenItHoldsMaxDistinctJobs() {
        assertThat(buffer.add(record("r", "p", "j1", "e1"), T0).opened()).isTrue();
        assertThat(buffer.add(record("r", "p", "j1", "e2"), T0).full()).isNull();
        assertThat(buffer.add(record("r", "p", "j2", "e3"), T0).full()).isNull();
        WindowBuffer.Added added = buffer.add(record("r", "p", "j3", "e4"), T0);
        assertThat(added.opened()).isFalse();
        assertThat(added.full()).isNotNull();
        assertThat(added.full().jobCount()).isEqualTo(3);
        assertThat(added.full().recordCount()).isEqualTo(4);
        assertThat(added.full().jobs()).extracting(Window.Job::jobId).containsExactly("j1", "j2", "j3");
        assertThat(added.full().jobs().iterator().next().tasks()).extracting(TaskFailed::eventId)
                .containsExactly("e1", "e2");
        assertThat(buffer.openWindows()).isZero();
        assertThat(buffer.add(record("r", "p", "j4", "e5"), T0).opened()).isTrue();
    }

    @Test
    void theFullestWindowCanBeTakenEarly() {
        assertThat(buffer.takeFullest()).isNull();
        buffer.add(record("r", "p1", "j1", "e1"), T0);
        buffer.add(record("r", "p2", "j2", "e2"), T0);
        buffer.add(record("r", "p2", "j2", "e3"), T0);
        Window fullest = buffer.takeFullest();
        assertThat(fullest.key()).isEqualTo(new Window.Key("r", "p2"));
        assertThat(fullest.recordCount()).isEqualTo(2);
        assertThat(buffer.openWindows()).isEqualTo(1);
        assertThat(buffer.openRecords()).isEqualTo(1);
    }

    @Test
    void aWindowIsDueOneWindowLengthAfterItsFirstRecord() {
        buffer.add(record("r", "p", "j1", "e1"), T0);
        buffer.add(record("r", "p", "j2", "e2"), T0.plusMillis(900));
        assertThat(buffer.takeDue(T0.plusMillis(999))).isEmpty();
        assertThat(buffer.takeDue(T0.plusMillis(1000))).singleElement()
                .satisfies(w -> assertThat(w.jobCount()).isEqualTo(2));
        assertThat(buffer.takeDue(T0.plusSeconds(5))).isEmpty();
    }

    @Test
    void windowsAreKeptPerRegionAndProject() {
        buffer.add(record("r1", "p", "j1", "e1"), T0);
        buffer.add(record("r2", "p", "j1", "e2"), T0);
        buffer.add(record("r1", "q", "j1", "e3"), T0.plusMillis(500));
        assertThat(buffer.openWindows()).isEqualTo(3);
        assertThat(buffer.takeDue(T0.plusSeconds(1))).extracting(Window::key)
                .containsExactlyInAnyOrder(new Window.Key("r1", "p"), new Window.Key("r2", "p"));
        assertThat(buffer.takeAll()).extracting(Window::key).containsExactly(new Window.Key("r1", "q"));
        assertThat(buffer.openWindows()).isZero();
    }

    @Test
    void theFirstSyncReEditFlagOfAJobWins() {
        buffer.add(new PendingRecord(new TaskFailed("p", "j", "e1", "r", false, null, null), null), T0);
        buffer.add(new PendingRecord(new TaskFailed("p", "j", "e2", "r", false, true, null), null), T0);
        buffer.add(new PendingRecord(new TaskFailed("p", "j", "e3", "r", false, false, null), null), T0);
        assertThat(buffer.takeAll().get(0).jobs().iterator().next().isSyncReEdit()).isTrue();
    }
}
