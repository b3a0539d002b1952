package io.github.drsretrybatcher.drs;

import io.github.drsretrybatcher.event.DeadLetterCode;
import io.github.drsretrybatcher.event.Outcome;

/**
 * What the API calls decided for one job.
 *
 * @param deadLetter the code under which the job's records also go to the dead-letter topic, or null
 */
public record JobResult(
        String jobId,
        Outcome outcome,
        String reason,
        String drsStatus,
        String errorCode,
        String errorMsg,
        int attempts,
        String batchId,
        int batchSize,
        String requestId,
        DeadLetterCode deadLetter) {
}
