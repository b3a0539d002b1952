package io.github.drsretrybatcher.event;

/** A record that the service cannot handle: its code and a sentence for the dead-letter headers. */
public class DeadLetterException extends RuntimeException {

    private final DeadLetterCode code;

    public DeadLetterException(DeadLetterCode code, String reason) {
        this(code, reason, null);
    }

    public DeadLetterException(DeadLetterCode code, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.code = code;
    }

    public DeadLetterCode code() {
        return code;
    }
}
