package io.github.drsretrybatcher.drs.auth;

/** Credentials are missing or refused: not worth another attempt until an operator fixes them. */
public final class AuthFailedException extends RuntimeException {

    public AuthFailedException(String message) {
        super(message, null, false, false);
    }
}
