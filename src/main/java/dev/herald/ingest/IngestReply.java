package dev.herald.ingest;

import java.util.List;
import java.util.Map;

/** What ingest answers: per event its id, whether it was seen before, and the deliveries it created. */
public record IngestReply(List<Accepted> events, boolean single) {

    public record Accepted(String id, boolean duplicate, List<String> deliveries) {
    }

    /** 202 when anything new was accepted; 200 when every event was a repeat. */
    public int status() {
        return events.stream().allMatch(Accepted::duplicate) ? 200 : 202;
    }

    public Object view() {
        if (single) {
            return ordered(events.get(0));
        }
        return Map.of("data", events.stream().map(IngestReply::ordered).toList());
    }

    private static Map<String, Object> ordered(Accepted a) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", a.id());
        m.put("duplicate", a.duplicate());
        m.put("deliveries", a.deliveries());
        return m;
    }
}
