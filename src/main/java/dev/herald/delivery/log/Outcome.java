package dev.herald.delivery.log;

/**
 * The delivery's state after an attempt: delivered, due again on its backoff table, or failed
 * for good.
 */
public sealed interface Outcome {

    /** A 2xx in time. */
    record Delivered(int attempts, Integer statusCode, long deliveredAt) implements Outcome {
    }

    /** Failed; the scheduler claims it again at {@code nextAttemptAt}. */
    record Retry(int attempts, Integer statusCode, String error, long nextAttemptAt) implements Outcome {
    }

    /** Failed after its last attempt (or its one attempt: a manual retry, a recovery). */
    record Failed(int attempts, Integer statusCode, String error) implements Outcome {
    }

    /** Attempts made, this one included. */
    int attempts();

    /** The receiver's HTTP status, or null when none came. */
    Integer statusCode();

    /** The status column: {@link Delivery#SUCCESS}, {@link Delivery#PENDING} or {@link Delivery#FAILED}. */
    default String status() {
        return this instanceof Delivered ? Delivery.SUCCESS : this instanceof Retry ? Delivery.PENDING : Delivery.FAILED;
    }

    /** Why the attempt failed; null when delivered. */
    default String error() {
        return this instanceof Retry r ? r.error() : this instanceof Failed f ? f.error() : null;
    }

    /** The same state, its error replaced (when it has one). */
    default Outcome withError(String error) {
        if (this instanceof Retry r) {
            return new Retry(r.attempts(), r.statusCode(), error, r.nextAttemptAt());
        }
        if (this instanceof Failed f) {
            return new Failed(f.attempts(), f.statusCode(), error);
        }
        return this;
    }
}
