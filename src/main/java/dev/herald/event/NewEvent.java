package dev.herald.event;

/**
 * An event accepted for ingest: validated, {@code data} as compact JSON; {@code id} its own id;
 * {@code applicationId} the application it is sent to (resolved), null for the operator's own.
 */
public record NewEvent(String id, String type, long createdAt, String data, String applicationId) {

    /** An event of the operator's own. */
    public NewEvent(String id, String type, long createdAt, String data) {
        this(id, type, createdAt, data, null);
    }

    /** The same event, sent to {@code application} (null: the operator's own). */
    public NewEvent forApplication(String application) {
        return new NewEvent(id, type, createdAt, data, application);
    }

    /** Its key in the event table ({@link EventKey}). */
    public String key() {
        return EventKey.of(applicationId, id);
    }
}
