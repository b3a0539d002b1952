package io.github.drsretrybatcher.telemetry;

import org.jboss.logging.MDC;

/**
 * Fields of the log lines written inside a try-with-resources block (JSON logs carry them as {@code mdc}):
 * {@code project_id}, {@code batch_id} and {@code job_id}. Batches are handled on shared threads, so the fields
 * are set around the lines that need them and removed right after.
 */
public final class LogFields implements AutoCloseable {

    private final String[] keys;

    private LogFields(String... keysAndValues) {
        keys = new String[keysAndValues.length / 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keysAndValues[2 * i];
            String value = keysAndValues[2 * i + 1];
            if (value != null) {
                MDC.put(keys[i], value);
            }
        }
    }

    /** Fields for a line about one call of a window. */
    public static LogFields batch(String projectId, String batchId) {
        return new LogFields("project_id", projectId, "batch_id", batchId);
    }

    /** Fields for a line about one job. */
    public static LogFields job(String projectId, String batchId, String jobId) {
        return new LogFields("project_id", projectId, "batch_id", batchId, "job_id", jobId);
    }

    @Override
    public void close() {
        for (String key : keys) {
            MDC.remove(key);
        }
    }
}
