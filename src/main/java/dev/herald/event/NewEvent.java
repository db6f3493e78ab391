package dev.herald.event;

/** An event accepted for ingest: validated, {@code data} as compact JSON. */
public record NewEvent(String id, String type, long createdAt, String data) {
}
