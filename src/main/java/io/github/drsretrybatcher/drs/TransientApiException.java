package io.github.drsretrybatcher.drs;

import java.time.Duration;

/** A call that may succeed if tried again: a network failure, a timeout, or a transient or throttling answer. */
final class TransientApiException extends RuntimeException {

    private final transient CallAnswer answer;

    TransientApiException(CallAnswer answer) {
        super("DRS answered HTTP " + answer.status()
                + (answer.errorCode() != null ? " " + answer.errorCode() : ""), null, false, false);
        this.answer = answer;
    }

    TransientApiException(Throwable cause) {
        super("DRS call failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() != null ? ": " + cause.getMessage() : ""), cause, false, false);
        this.answer = null;
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
