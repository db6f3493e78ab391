package dev.herald.cli;

/** A failure the user can act on (API error, Herald unreachable, bad file): printed as one line, exit 1. */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message, null, false, false);
    }
}
