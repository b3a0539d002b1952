package io.github.drsretrybatcher.drs;

import java.time.Duration;

/** A call that may succeed if tried again: a network failure, a timeout, or a transient or throttling answer. */
final class TransientApiException extends RuntimeException {

    private final transient CallAnswer answer;
    private final boolean last;

    TransientApiException(CallAnswer answer, boolean last) {
        super("DRS answered HTTP " + answer.status()
                + (answer.errorCode() != null ? " " + answer.errorCode() : ""), null, false, false);
        this.answer = answer;
        this.last = last;
    }

    TransientApiException(Throwable cause, boolean last) {
        super("DRS call failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() != null ? ": " + cause.getMessage() : ""), cause, false, false);
        this.answer = null;
        this.last = last;
    }

    /** Whether this failed the last call the batch was allowed. */
    boolean last() {
        return last;
    }

    /** The last answer, or null when the call got none. */
    CallAnswer answer() {
        return answer;
    }

    /** The delay the server asked for, or null. */
    Duration retryAfter() {
        return answer == null ? null : answer.retryAfter();
    }

    boolean throttled() {
        return answer != null && answer.errorClass() == ErrorClass.THROTTLE;
    }
}
