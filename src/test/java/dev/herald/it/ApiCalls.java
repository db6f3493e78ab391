package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON calls on a {@link HeraldApp} for tests: webhooks, events, list pages, error answers. */
final class ApiCalls {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HeraldApp herald;

    ApiCalls(HeraldApp herald) {
        this.herald = herald;
    }

    /** A webhook to {@code url} with one attempt per delivery; its id. */
    String hook(String url, String events) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url
                + "\",\"events\":" + events + ",\"retry_schedule\":[\"0s\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asText();
    }

    /** Posts one event ({@code id} null: Herald makes one); its id. */
    String send(String type, String id) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{" + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"type\":\"" + type + "\",\"data\":{\"n\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("id").asText();
    }

    HttpResponse<String> post(String path, String body) {
        try {
            return herald.call("POST", path, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A GET that must answer 200. */
    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = herald.call("GET", path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json(r);
    }

    /** The ids in {@code field} of one page of up to 250. */
    List<String> ids(String path, String field) throws Exception {
        List<String> out = new ArrayList<>();
        get(path + (path.contains("?") ? "&" : "?") + "limit=250").get(field).forEach(d -> out.add(d.get("id").asText()));
        return out;
    }

    /** For wait loops: the number of deliveries a search lists, -1 when the call failed. */
    int deliveries(String path) {
        try {
            return ids(path, "deliveries").size();
        } catch (Exception | AssertionError e) {
            return -1;
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String field) throws Exception {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = json(r).get("error");
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception");
        if (field != null) {
            assertThat(error.get("field").asText()).as(r.uri().toString()).isEqualTo(field);
        }
    }
}
