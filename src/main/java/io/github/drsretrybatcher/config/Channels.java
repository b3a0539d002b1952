package io.github.drsretrybatcher.config;

/** Reactive Messaging channel names, shared by code and tests; the topic names live in configuration only. */
public final class Channels {

    /** Input: task-failed events. */
    public static final String TASK_FAILED = "task-failed";
    /** Output: one outcome per job per window. */
    public static final String RETRY_OUTCOME = "retry-outcome";
    /** Output: records the service cannot handle, unchanged, with dead-letter headers. */
    public static final String DEAD_LETTER = "dead-letter";

    private Channels() {
    }
}
