package dev.herald.event;

/**
 * The stored key of an event: its own id for the operator's own events, {@code <application id>/<id>}
 * for an application's. Event ids are idempotent per application (the same id sent to two applications
 * is two events) while {@code event.id} stays the one primary key every delivery references; an event id
 * cannot hold '/' (EventParser) nor can an application id, so the key splits back without ambiguity.
 * Only the store sees keys: every view and every payload shows the event's own id.
 */
public final class EventKey {

    private EventKey() {
    }

    /** The key of event {@code id} of {@code applicationId} (null: the operator's own). */
    public static String of(String applicationId, String id) {
        return applicationId == null ? id : applicationId + "/" + id;
    }

    /** The event's own id, as its sender gave it or Herald made it. */
    public static String ownId(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** The application the event was sent to; null for the operator's own. */
    public static String applicationId(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }
}
