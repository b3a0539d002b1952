package io.github.drsretrybatcher.drs;

/** How the service treats a failed DRS answer. */
public enum ErrorClass {
    /** Worth another attempt after a backoff. */
    TRANSIENT,
    /** Rate limited: another attempt after a longer backoff. */
    THROTTLE,
    /** The token ended: a fresh token, then one immediate retry. */
    TOKEN_EXPIRED,
    /** Credentials or permissions are wrong: no retry until an operator fixes them. */
    AUTH,
    /** The whole batch was refused because of some of its jobs: split it to find them. */
    ITEM,
    /** The request as a whole is refused for good. */
    REQUEST
}
