package dev.herald.catalog;

/**
 * One type of the catalog. {@code schema} is the JSON Schema text as given (null: any data object);
 * {@code archivedAt} is when it was deleted (null: active). Times are epoch milliseconds.
 */
public record EventType(String name, String description, String schema, Long archivedAt, long createdAt,
                        long updatedAt) {

    public boolean archived() {
        return archivedAt != null;
    }
}
