package dev.herald.oauth;

/**
 * A token could not be had: the token server was not reached, did not answer in time, or answered
 * something other than a bearer token. The message is the delivery log's error, in words, with the
 * token URL shown without its query and without any secret; the cause, when there is one, is what
 * failed on the wire. No stack trace is taken: this is an expected outcome, not a bug.
 */
public final class TokenFailure extends Exception {

    TokenFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    TokenFailure(String message) {
        this(message, null);
    }
}
