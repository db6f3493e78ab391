package dev.herald.catalog;

import com.fasterxml.jackson.databind.JsonNode;

/** What ingest asks of the catalog for each event it parses ({@link Catalog}); {@link #NONE} asks nothing. */
@FunctionalInterface
public interface IngestCheck {

    IngestCheck NONE = (path, type, data) -> { };

    /**
     * Refuses the event with a {@code HeraldException} on {@code path + "type"} or {@code path + "data"}
     * ({@code path} is "" or "[2]." in a batch).
     */
    void check(String path, String type, JsonNode data);
}
