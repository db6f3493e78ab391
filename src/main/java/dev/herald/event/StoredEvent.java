package dev.herald.event;

/**
 * An event as stored: what a delivery sends, and the API shows. {@code id} is the stored key
 * ({@link EventKey}): what delivery rows reference; {@link #ownId()} is what anyone outside sees.
 */
public record StoredEvent(String id, String type, long createdAt, String data, long receivedAt) {

    /** The id its sender gave it (or Herald made): the one in payloads, signatures and views. */
    public String ownId() {
        return EventKey.ownId(id);
    }

    /** The application it was sent to; null for the operator's own. */
    public String applicationId() {
        return EventKey.applicationId(id);
    }
}
