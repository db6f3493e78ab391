package dev.herald.delivery.log;

/**
 * An attempt to record with the row's next state, valid only while {@code heldToken} still
 * owns the row. With a {@code payloadFormat} the body is not stored: it is the event
 * rendered in that format, and is rendered again when the log is read.
 */
public record AttemptRecord(Attempt attempt, String heldToken, Outcome outcome, long now, String payloadFormat) {
    public AttemptRecord(Attempt attempt, String heldToken, Outcome outcome, long now) {
        this(attempt, heldToken, outcome, now, null);
    }
}
