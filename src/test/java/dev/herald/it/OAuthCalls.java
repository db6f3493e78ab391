package dev.herald.it;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Webhooks with {@code auth} (OAuth2 client credentials), events to them and their delivery log, for tests. */
final class OAuthCalls {

    private final HeraldApp herald;

    OAuthCalls(HeraldApp herald) {
        this.herald = herald;
    }

    /** The {@code auth} object of a webhook; {@code scope}, {@code audience}, {@code method} left out when null. */
    static ObjectNode auth(String tokenUrl, String clientId, String secret, String scope, String audience, String method) {
        ObjectNode a = ApiCalls.JSON.createObjectNode();
        a.put("type", "oauth2_client_credentials");
        a.put("token_url", tokenUrl);
        a.put("client_id", clientId);
        if (secret != null) {
            a.put("client_secret", secret);
        }
        if (scope != null) {
            a.put("scope", scope);
        }
        if (audience != null) {
            a.put("audience", audience);
        }
        if (method != null) {
            a.put("method", method);
        }
        return a;
    }

    HttpResponse<String> create(String url, String events, JsonNode auth) throws Exception {
        ObjectNode body = ApiCalls.JSON.createObjectNode();
        body.put("url", url);
        body.set("events", ApiCalls.JSON.readTree(events));
        // One attempt per delivery: a failure is final at once, and the test retries it by hand.
        body.set("retry_schedule", ApiCalls.JSON.readTree("[\"0s\"]"));
        body.set("auth", auth);
        return herald.call("POST", "/v1/webhooks", body.toString());
    }

    /** A webhook that must be created; its id. */
    String hook(String url, String events, JsonNode auth) throws Exception {
        HttpResponse<String> r = create(url, events, auth);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ApiCalls.json(r).get("id").asText();
    }

    /** Posts {@code count} events of {@code type} in one call; the first delivery id of each, in order. */
    List<String> send(String type, int count) throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"data\":{\"n\":").append(i).append("}}");
        }
        HttpResponse<String> r = herald.call("POST", "/v1/events", body.append(']').toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        List<String> ids = new ArrayList<>();
        ApiCalls.json(r).get("data").forEach(e -> e.get("deliveries").forEach(d -> ids.add(d.asText())));
        return ids;
    }

    /** One event; its delivery's id. */
    String sendOne(String type) throws Exception {
        List<String> ids = send(type, 1);
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    JsonNode delivery(String id) throws Exception {
        HttpResponse<String> r = herald.call("GET", "/v1/deliveries/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiCalls.json(r);
    }

    /** The delivery once it is no longer pending. */
    JsonNode finished(String id) throws Exception {
        waitUntil(Duration.ofSeconds(20), () -> {
            try {
                return !"pending".equals(delivery(id).get("status").asText());
            } catch (Exception e) {
                return false;
            }
        });
        return delivery(id);
    }

    /** A manual retry (one more attempt now); the delivery once it ended. */
    JsonNode retried(String id) throws Exception {
        int before = delivery(id).get("attempts").size();
        HttpResponse<String> r = herald.call("POST", "/v1/deliveries/" + id + "/retry", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        waitUntil(Duration.ofSeconds(20), () -> {
            try {
                JsonNode d = delivery(id);
                return d.get("attempts").size() > before && !"pending".equals(d.get("status").asText());
            } catch (Exception e) {
                return false;
            }
        });
        return delivery(id);
    }
}
