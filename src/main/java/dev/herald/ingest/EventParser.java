package dev.herald.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.catalog.IngestCheck;
import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import dev.herald.event.NewEvent;
import dev.herald.store.Ids;
import dev.herald.store.Json;
import dev.herald.subscription.EventTypes;
import dev.herald.tenancy.ApplicationNames;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the body every source hands to {@code direct:ingest}: one event object or an
 * array of them ({@code {"id"?, "type", "created_at"?, "data", "application"?}}). Bad input is refused
 * with a {@link HeraldException} naming the field; {@code [2].type} in a batch. An application (its id or
 * uid) is resolved here, so an unknown one is refused as the event's own fault on every source (404).
 */
public final class EventParser {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_\\-.:]{1,100}");
    private static final Set<String> FIELDS = Set.of("id", "type", "created_at", "data", "application");
    /** An application's id or uid, as the applications API allows them. */
    private static final int MAX_APPLICATION = 64;

    private final int maxEventBytes;
    private final int maxBatch;
    private final ApplicationNames applications;

    /** The event-type catalog: strict mode and the types' schemas (IngestCheck.NONE: no check). */
    private final IngestCheck catalog;

    /** A parser that knows no application (an event naming one is refused) and checks no catalog. */
    public EventParser(int maxEventBytes, int maxBatch) {
        this(maxEventBytes, maxBatch, ApplicationNames.NONE, IngestCheck.NONE);
    }

    public EventParser(int maxEventBytes, int maxBatch, ApplicationNames applications) {
        this(maxEventBytes, maxBatch, applications, IngestCheck.NONE);
    }

    public EventParser(int maxEventBytes, int maxBatch, IngestCheck catalog) {
        this(maxEventBytes, maxBatch, ApplicationNames.NONE, catalog);
    }

    public EventParser(int maxEventBytes, int maxBatch, ApplicationNames applications, IngestCheck catalog) {
        this.maxEventBytes = maxEventBytes;
        this.maxBatch = maxBatch;
        this.applications = applications;
        this.catalog = catalog;
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** The parsed events and whether the body was a single object (the reply has the same shape). */
    public record Batch(List<NewEvent> events, boolean single) {
    }

    public Batch parse(byte[] body) {
        return parse(body, null);
    }

    /**
     * As {@link #parse(byte[])}; an event without an id gets one derived from
     * {@code sourceKey} and its position, so the same message or file read again after a
     * crash yields the same ids (null: a fresh id).
     */
    public Batch parse(byte[] body, String sourceKey) {
        return parse(body, sourceKey, null);
    }

    /**
     * As {@link #parse(byte[], String)}, every event for {@code application} (an id; null: as each names):
     * an event naming none is for it, one naming another is refused as naming an unknown one, in the
     * same words, so a caller confined to one application learns nothing of the others.
     */
    public Batch parse(byte[] body, String sourceKey, String application) {
        if (body == null || body.length == 0) {
            throw HeraldException.invalid(null, "the body is empty; send an event object or an array of events");
        }
        JsonNode root = Json.readBody(body);
        if (root == null) {
            throw HeraldException.invalid(null, "the body is empty; send an event object or an array of events");
        }
        long now = System.currentTimeMillis();
        if (root.isObject()) {
            if (body.length > maxEventBytes) {
                throw tooLarge(null, body.length);
            }
            return new Batch(List.of(event((ObjectNode) root, "", now, idFor(sourceKey, 0), application)), true);
        }
        if (!root.isArray()) {
            throw HeraldException.invalid(null, "the body must be an event object or an array of events");
        }
        ArrayNode array = (ArrayNode) root;
        if (array.isEmpty() || array.size() > maxBatch) {
            throw HeraldException.invalid(null, "a batch holds 1 to " + maxBatch + " events, got " + array.size());
        }
        prefetchApplications(array);
        List<NewEvent> events = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            if (!e.isObject()) {
                throw HeraldException.invalid("[" + i + "]", "each item of the batch must be an event object");
            }
            events.add(event((ObjectNode) e, "[" + i + "].", now, idFor(sourceKey, i), application));
        }
        return new Batch(events, false);
    }

    /** One line of an NDJSON file: a single event object; {@code sourceKey} names the file and line. */
    public NewEvent parseLine(byte[] line, String sourceKey) {
        JsonNode root = Json.readBody(line);
        if (root == null || !root.isObject()) {
            throw HeraldException.invalid(null, "each line must hold one event object");
        }
        if (line.length > maxEventBytes) {
            throw tooLarge(null, line.length);
        }
        return event((ObjectNode) root, "", System.currentTimeMillis(), sourceKey, null);
    }

    private static String idFor(String sourceKey, int index) {
        return sourceKey == null ? null : sourceKey + ":" + index;
    }

    private NewEvent event(ObjectNode node, String path, long now, String idKey, String confined) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw HeraldException.invalid(path + f, "unknown field \"" + Excerpt.of(f)
                        + "\"; an event has id, type, created_at, data and application");
            }
        }
        String id;
        JsonNode idNode = node.get("id");
        if (idNode == null || idNode.isNull()) {
            id = idKey == null ? Ids.event() : Ids.derivedEvent(idKey);
        } else if (idNode.isTextual() && ID.matcher(idNode.asText()).matches()) {
            id = idNode.asText();
        } else {
            throw HeraldException.invalid(path + "id", "id must be 1 to 100 characters of letters, digits, _ - . :");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw HeraldException.invalid(path + "type", "type is required, e.g. \"project.created\"");
        }
        if (!typeNode.isTextual() || !EventTypes.isValidType(typeNode.asText())) {
            throw HeraldException.invalid(path + "type", "type must be dot-separated words of letters, digits, _ - :"
                    + " (at most " + EventTypes.MAX_LENGTH + " characters), e.g. \"project.created\"");
        }
        if (EventTypes.isReserved(typeNode.asText())) {
            throw HeraldException.invalid(path + "type", "types starting with \"" + EventTypes.RESERVED_PREFIX
                    + "\" are Herald's own operational events; no source may send them");
        }
        long createdAt = now;
        JsonNode createdNode = node.get("created_at");
        if (createdNode != null && !createdNode.isNull()) {
            try {
                if (!createdNode.isTextual()) {
                    throw new DateTimeParseException("not a string", createdNode.toString(), 0);
                }
                createdAt = OffsetDateTime.parse(createdNode.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                // ArithmeticException: a valid ISO time too far from 1970 for epoch milliseconds (+999999999-12-31T23:59:59Z).
                throw HeraldException.invalid(path + "created_at", "created_at must be an ISO-8601 time such as 2026-03-01T12:00:00Z");
            }
        }
        JsonNode data = node.get("data");
        if (data == null || data.isNull()) {
            throw HeraldException.invalid(path + "data", "data is required: the event's JSON object");
        }
        if (!data.isObject()) {
            throw HeraldException.invalid(path + "data", "data must be a JSON object");
        }
        catalog.check(path, typeNode.asText(), data);
        String compact;
        try {
            compact = Json.write(normalise(data));
        } catch (NonFiniteNumber e) {
            throw HeraldException.invalid(path + "data" + nonFinitePath(data), "a number is out of range: numbers in"
                    + " data must fit a 64-bit float (at most about 1.8e308)");
        }
        int size = compact.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxEventBytes) {
            throw tooLarge(path + "data", size);
        }
        return new NewEvent(id, typeNode.asText(), createdAt, compact, application(node.get("application"), path, confined));
    }

    /** The applications a batch names, looked up together (their checks stay per event, below). */
    private void prefetchApplications(ArrayNode array) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode e : array) {
            JsonNode a = e.get("application");
            if (a != null && a.isTextual()) {
                names.add(a.asText());
            }
        }
        if (names.size() > 1) {
            applications.prefetch(names);
        }
    }

    /** The id of the application the event names; null when it names none (the operator's own). */
    private String application(JsonNode node, String path, String confined) {
        if (node == null || node.isNull()) {
            return confined;
        }
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > MAX_APPLICATION) {
            throw HeraldException.invalid(path + "application", "application must be an application's id or uid"
                    + " (1 to " + MAX_APPLICATION + " characters)");
        }
        return applications.idOf(node.asText()).filter(id -> confined == null || confined.equals(id))
                .orElseThrow(() -> ApplicationNames.unknown(path + "application", node.asText()));
    }

    private HeraldException tooLarge(String field, int size) {
        return HeraldException.tooLarge(field, "the event is " + size + " bytes; the limit is " + maxEventBytes
                + " (herald.ingest.max-bytes)");
    }

    /**
     * Writes numbers the way JavaScript's JSON.stringify would (1.0 as 1, no exponent in
     * the usual range), so receivers that re-serialise the parsed body before verifying
     * the signature (seed 002) compute the same bytes.
     */
    static JsonNode normalise(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), normalise(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(normalise(n)));
            return out;
        }
        if (node.isFloatingPointNumber()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d)) {
                // The parser reads 1e999999 as Infinity, which would be written on as the string "Infinity".
                throw new NonFiniteNumber();
            }
            if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
                return LongNode.valueOf((long) d);
            }
            if (Math.abs(d) >= 1e-7 && Math.abs(d) < 1e21) {
                return DecimalNode.valueOf(new BigDecimal(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()));
            }
        }
        return node;
    }

    /** Thrown by {@link #normalise} for a number beyond a double's range; no stack trace, the caller says where. */
    static final class NonFiniteNumber extends RuntimeException {
        NonFiniteNumber() {
            super("number out of range", null, false, false);
        }
    }

    private static boolean allFinite(JsonNode node) {
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (!allFinite(child)) {
                    return false;
                }
            }
            return true;
        }
        return !node.isFloatingPointNumber() || Double.isFinite(node.doubleValue());
    }

    /** Where the first non-finite number is, as {@code .a.b[2]}; only called for the error message. */
    private static String nonFinitePath(JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!allFinite(e.getValue())) {
                return "." + e.getKey() + nonFinitePath(e.getValue());
            }
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            if (!allFinite(node.get(i))) {
                return "[" + i + "]" + nonFinitePath(node.get(i));
            }
        }
        return "";
    }

    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
