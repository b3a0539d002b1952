package io.github.drsretrybatcher.batch;

import io.github.drsretrybatcher.event.TaskFailed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The records of one (region, project) collected until the window is flushed; the same job is kept once. */
public final class Window {

    /** What a window is keyed by. */
    public record Key(String region, String projectId) {
    }

    /** One distinct job of the window and every record that asked for it, in arrival order. */
    public record Job(String jobId, List<PendingRecord> records) {

        /** The first {@code is_sync_re_edit} an event set for this job, or null. */
        public Boolean isSyncReEdit() {
            for (PendingRecord record : records) {
                if (record.task().isSyncReEdit() != null) {
                    return record.task().isSyncReEdit();
                }
            }
            return null;
        }

        /** The tasks of the records, in arrival order. */
        public List<TaskFailed> tasks() {
            return records.size() == 1 ? List.of(records.get(0).task())
                    : records.stream().map(PendingRecord::task).toList();
        }
    }

    private final Key key;
    private final Instant deadline;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private int records;

    Window(Key key, Instant deadline) {
        this.key = key;
        this.deadline = deadline;
    }

    void add(PendingRecord record) {
        // most jobs have one record: a list of one rather than of ten (it is held, and promoted, for the window)
        jobs.computeIfAbsent(record.task().jobId(), id -> new Job(id, new ArrayList<>(1))).records().add(record);
        records++;
    }

    public Key key() {
        return key;
    }

    public Instant deadline() {
        return deadline;
    }

    public Collection<Job> jobs() {
        return jobs.values();
    }

    public int jobCount() {
        return jobs.size();
    }

    public int recordCount() {
        return records;
    }
}
