package dev.herald.it;

import static dev.herald.it.OAuthCalls.auth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A webhook's {@code auth} through the API: what reaches the token server by each client
 * authentication method, the client secret masked in answers and kept by PATCH, never in the
 * delivery log nor in Herald's log, the bearer token masked there; and the 400s of a bad {@code auth}.
 */
class OAuthApiTest {

    private static final String BASIC_SECRET = "basic-s3cret:with/odd=chars";
    private static final String POST_SECRET = "post-s3cret-value";

    @Test
    void theClientAuthenticatesAsItsMethodSaysAndItsSecretsStayHidden() throws Exception {
        try (LogCapture log = new LogCapture();
             TokenServer tokens = new TokenServer()
                     .client("basic-client", BASIC_SECRET, "client_secret_basic", "read write", null)
                     .client("post-client", POST_SECRET, "client_secret_post", null, "https://api.example");
             BearerReceiver receiver = new BearerReceiver(tokens);
             HeraldApp herald = new HeraldApp(Map.of())) {
            OAuthCalls calls = new OAuthCalls(herald);
            String basic = calls.hook(receiver.url("/basic"), "[\"m.basic\"]",
                    auth(tokens.url(), "basic-client", BASIC_SECRET, "read write", null, "client_secret_basic"));
            String post = calls.hook(receiver.url("/post"), "[\"m.post\"]",
                    auth(tokens.url(), "post-client", POST_SECRET, null, "https://api.example", "client_secret_post"));

            JsonNode basicDelivery = calls.finished(calls.sendOne("m.basic"));
            JsonNode postDelivery = calls.finished(calls.sendOne("m.post"));
            assertThat(basicDelivery.get("status").asText()).isEqualTo("success");
            assertThat(postDelivery.get("status").asText()).isEqualTo("success");

            TokenServer.Request viaBasic = tokens.requests.get(0);
            String pair = new String(Base64.getDecoder().decode(viaBasic.headers().get("authorization").substring(6)),
                    StandardCharsets.UTF_8);
            assertThat(pair).isEqualTo("basic-client:basic-s3cret%3Awith%2Fodd%3Dchars");
            assertThat(viaBasic.form()).containsOnly(Map.entry("grant_type", "client_credentials"),
                    Map.entry("scope", "read write"));
            TokenServer.Request viaPost = tokens.requests.get(1);
            assertThat(viaPost.headers()).doesNotContainKey("authorization");
            assertThat(viaPost.form()).containsOnly(Map.entry("grant_type", "client_credentials"),
                    Map.entry("audience", "https://api.example"), Map.entry("client_id", "post-client"),
                    Map.entry("client_secret", POST_SECRET));
            assertThat(receiver.requests).extracting(BearerReceiver.Request::authorization)
                    .containsExactly("Bearer basic-client-1", "Bearer post-client-2");

            // The answers: the secret masked; the log: the bearer masked, neither secret nor token anywhere.
            HttpResponse<String> shown = herald.call("GET", "/v1/webhooks/" + basic, null);
            assertThat(ApiCalls.json(shown).get("auth").get("client_secret").asText()).isEqualTo("****");
            assertThat(ApiCalls.json(shown).get("auth").get("method").asText()).isEqualTo("client_secret_basic");
            assertThat(shown.body()).doesNotContain(BASIC_SECRET).doesNotContain("basic-s3cret");
            for (JsonNode d : new JsonNode[] {basicDelivery, postDelivery}) {
                JsonNode headers = d.get("attempts").get(0).get("request").get("headers");
                assertThat(headers.get("Authorization").asText()).isEqualTo("Bearer ****");
                assertThat(d.toString()).doesNotContain("s3cret").doesNotContain("client-1").doesNotContain("client-2");
            }

            // PATCH without client_secret keeps it: the next token request still authenticates.
            ObjectNode patch = ApiCalls.JSON.createObjectNode();
            patch.set("auth", auth(tokens.url(), "post-client", null, null, "https://api.example", "client_secret_post"));
            HttpResponse<String> patched = herald.call("PATCH", "/v1/webhooks/" + post, patch.toString());
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(patched.body()).doesNotContain(POST_SECRET);
            tokens.revoked.add("post-client-2");
            JsonNode again = calls.finished(calls.sendOne("m.post"));
            assertThat(again.get("status").asText()).isEqualTo("success");
            assertThat(tokens.requests.get(tokens.requests.size() - 1).form()).containsEntry("client_secret", POST_SECRET);

            // ... but not for another token URL, which would send the kept secret elsewhere.
            patch.set("auth", auth(tokens.url().replace("/oauth/token", "/elsewhere"), "post-client", null, null, null, null));
            ApiCalls.assertError(herald.call("PATCH", "/v1/webhooks/" + post, patch.toString()), 400, "auth.client_secret");

            assertThat(log.text()).doesNotContain("s3cret").doesNotContain("post-client-2").doesNotContain("basic-client-1");
        }
    }

    @Test
    void aBadAuthIsRefusedNamingItsFieldAndTheEgressGuardHoldsForTokenRequests() throws Exception {
        Map<String, String> defaults = new java.util.HashMap<>();
        // The built-in default: no network of Herald's own is allowed, loopback included.
        defaults.put("herald.delivery.allowed-networks", null);
        try (TokenServer tokens = new TokenServer().client("c", "s3cret", "client_secret_basic", null, null);
             BearerReceiver receiver = new BearerReceiver(tokens);
             HeraldApp herald = new HeraldApp(defaults)) {
            OAuthCalls calls = new OAuthCalls(herald);
            // A host name passes at create and is judged by the addresses it resolves to when Herald
            // connects: the token request is refused before any connection, and nothing is sent.
            String localhost = tokens.url().replace("127.0.0.1", "localhost");
            calls.hook(receiver.url("/guarded").replace("127.0.0.1", "localhost"), "[\"guard.x\"]",
                    auth(localhost, "c", "s3cret", null, null, null));
            JsonNode refused = calls.finished(calls.sendOne("guard.x"));
            assertThat(refused.get("status").asText()).isEqualTo("failed");
            assertThat(refused.get("attempts").get(0).get("error").asText())
                    .startsWith("token request to " + localhost + " failed: address not allowed: localhost");
            assertThat(tokens.calls.get()).isZero();
            assertThat(receiver.requests).isEmpty();

            String url = "http://localhost:9/hook";
            // A private address is refused as a token URL as it is as a webhook URL (decided on the
            // literal: nothing connects).
            ApiCalls.assertError(calls.create(url, "[\"x\"]", auth("http://10.0.0.7/token", "c", "s", null, null, null)),
                    400, "auth.token_url");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", auth("http://[fd00::1]/token", "c", "s", null, null, null)),
                    400, "auth.token_url");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", auth("http://127.1:8080/token", "c", "s", null, null, null)),
                    400, "auth.token_url");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", auth("ftp://localhost/token", "c", "s", null, null, null)),
                    400, "auth.token_url");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", auth("http://u:p@localhost/token", "c", "s", null, null, null)),
                    400, "auth.token_url");
            ObjectNode noUrl = auth("x", "c", "s", null, null, null);
            noUrl.remove("token_url");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", noUrl), 400, "auth.token_url");
            ObjectNode noId = auth("http://localhost:9/token", "c", "s", null, null, null);
            noId.remove("client_id");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", noId), 400, "auth.client_id");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", auth("http://localhost:9/token", "c", null, null, null, null)),
                    400, "auth.client_secret");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", auth("http://localhost:9/token", "c", "s", null, null, "private_key_jwt")),
                    400, "auth.method");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", auth("http://localhost:9/token", "", "s", null, null, null)),
                    400, "auth.client_id");
            ObjectNode unknownType = auth("http://localhost:9/token", "c", "s", null, null, null);
            unknownType.put("type", "basic");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", unknownType), 400, "auth.type");
            ObjectNode extra = auth("http://localhost:9/token", "c", "s", null, null, null);
            extra.put("grant_type", "password");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", extra), 400, "auth.grant_type");
            ApiCalls.assertError(calls.create(url, "[\"x\"]", ApiCalls.JSON.readTree("\"oauth\"")), 400, "auth");
            // The token is the Authorization header: a custom one beside auth is refused, not silently replaced.
            ObjectNode both = ApiCalls.JSON.createObjectNode();
            both.put("url", url);
            both.set("events", ApiCalls.JSON.readTree("[\"x\"]"));
            both.set("headers", ApiCalls.JSON.readTree("{\"authorization\":\"Basic eDp5\"}"));
            both.set("auth", auth("http://localhost:9/token", "c", "s", null, null, null));
            ApiCalls.assertError(herald.call("POST", "/v1/webhooks", both.toString()), 400, "headers.authorization");
        }
    }
}
