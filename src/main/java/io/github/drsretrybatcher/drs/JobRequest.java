package io.github.drsretrybatcher.drs;

/** One job to retry; {@code isSyncReEdit} is sent only when not null. */
public record JobRequest(String jobId, Boolean isSyncReEdit) {
}
