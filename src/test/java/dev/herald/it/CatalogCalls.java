package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Calls of the event-type catalog tests on one Herald, and the envelopes its receiver got. */
final class CatalogCalls {

    static final ObjectMapper JSON = new ObjectMapper();
    /** An order's data: an integer amount is required, lines are strings. */
    static final String ORDER_SCHEMA = "{\"type\":\"object\",\"required\":[\"amount\"],\"properties\":"
            + "{\"amount\":{\"type\":\"integer\"},\"lines\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";

    private final HeraldApp herald;
    private final Receiver receiver;

    CatalogCalls(HeraldApp herald, Receiver receiver) {
        this.herald = herald;
        this.receiver = receiver;
    }

    JsonNode created(String body) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/event-types", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    JsonNode error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("error");
    }

    /** A 400 naming {@code field}, its message saying {@code says}, and no stack trace. */
    void refused(String method, String path, String body, String field, String says) throws Exception {
        HttpResponse<String> r = herald.call(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(400);
        JsonNode e = error(r);
        assertThat(e.get("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(e.get("message").asText()).as(r.body()).contains(says);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at com.");
    }

    List<String> names(String path) throws Exception {
        List<String> out = new ArrayList<>();
        ok(herald.call("GET", path + (path.contains("?") ? "&" : "?") + "limit=250", null)).get("data")
                .forEach(d -> out.add(d.get("name").asText()));
        return out;
    }

    /** Written under a hidden name, then renamed: the inbox never sees a half-written file. */
    void drop(Path inbox, String name, String content) throws Exception {
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve("." + name + ".part");
        Files.writeString(tmp, content);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    JsonNode awaitEnvelope(String id) throws Exception {
        waitUntil(Duration.ofSeconds(20), () -> envelope(id) != null);
        return envelope(id);
    }

    private JsonNode envelope(String id) {
        for (Receiver.Request r : receiver.requests) {
            try {
                JsonNode e = JSON.readTree(r.body());
                if (id.equals(e.path("id").asText())) {
                    return e;
                }
            } catch (Exception ignored) {
                // not an envelope
            }
        }
        return null;
    }
}
