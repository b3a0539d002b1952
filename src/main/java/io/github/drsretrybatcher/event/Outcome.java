package io.github.drsretrybatcher.event;

/** What happened to one job in one window; the {@code outcome} field of the outcome event. */
public enum Outcome {
    RETRY_ACCEPTED,
    RETRY_REJECTED,
    SKIPPED,
    SUPPRESSED,
    FAILED,
    DRY_RUN
}
