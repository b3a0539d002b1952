package io.github.drsretrybatcher.event;

/** Why a record went to the dead-letter topic; the {@code dead-letter-code} header. */
public enum DeadLetterCode {
    MALFORMED_JSON,
    INVALID_EVENT,
    TOO_LARGE,
    UNSUPPORTED_EVENT_TYPE,
    PROJECT_NOT_ALLOWED,
    REGION_NOT_ALLOWED,
    API_UNAVAILABLE,
    AUTH_FAILED,
    API_REJECTED
}
