package dev.herald.delivery.log;

/** Why an attempt was made: stored in delivery_attempt.trigger_kind and shown by the API, by its label. */
public enum Trigger {
    /** On the delivery's table: its first attempt, a retry that came due, a row whose owner died. */
    SCHEDULED("scheduled"),
    /** A test event sent to one webhook. */
    TEST("test"),
    /** A manual retry of a finished delivery. */
    MANUAL("manual"),
    /** The recovery of a webhook's failed deliveries. */
    RECOVER("recover");

    private final String label;

    Trigger(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Manual retries and recoveries make exactly one attempt; the backoff table does not continue after them. */
    public boolean singleAttempt() {
        return this == MANUAL || this == RECOVER;
    }

    /** The trigger a stored label names. */
    public static Trigger of(String label) {
        for (Trigger t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown trigger_kind " + label);
    }
}
