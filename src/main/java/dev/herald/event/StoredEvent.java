package dev.herald.event;

/** An event as stored: what a delivery sends, and the API shows. */
public record StoredEvent(String id, String type, long createdAt, String data, long receivedAt) {
}
