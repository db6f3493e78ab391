package dev.herald.delivery.step;

import dev.herald.delivery.log.AttemptKind;

/** What one attempt came to: its kind, and why it failed ({@code error}, null for a success). */
record Verdict(AttemptKind kind, String error) {

    static final Verdict SUCCESS = new Verdict(AttemptKind.SUCCESS, null);

    static Verdict failed(AttemptKind kind, String error) {
        return new Verdict(kind, error);
    }
}
