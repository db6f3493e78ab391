package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;

import static dev.herald.it.ApiCalls.assertError;
import static dev.herald.it.ApiCalls.json;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver URL with user information ({@code http://user:pw@host/}) can never be delivered
 * (HttpClient 5 refuses it) and would show its password: the API refuses it, and a row saved
 * before that rule never shows the password in an answer.
 */
class ReceiverUrlTest {

    private static final String PASSWORD = "hunter2-pw";
    private static HeraldApp herald;
    private static Receiver receiver;
    private static ApiCalls api;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
        api = new ApiCalls(herald);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void aUrlWithUserInformationIsRefusedOnCreateAndPatch() throws Exception {
        String hostPort = "127.0.0.1:" + receiver.port();
        String hook = api.hook(receiver.url("/plain"), "[\"userinfo.never\"]");
        for (String url : new String[] {"http://alice:" + PASSWORD + "@" + hostPort + "/a",
                "https://" + PASSWORD + "@hooks.example.invalid/a", "http://:" + PASSWORD + "@" + hostPort + "/a",
                "http://@" + hostPort + "/a", "http://alice:" + PASSWORD + "@" + hostPort + "/a#frag"}) {
            HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url
                    + "\",\"events\":[\"userinfo.never\"]}");
            assertError(created, 400, "url");
            String message = json(created).get("error").get("message").asText();
            assertThat(message).as(url).doesNotContain(PASSWORD);
            if (!url.endsWith("#frag")) {
                assertThat(message).as(url).contains("user information").contains("Authorization");
            }

            HttpResponse<String> patched = herald.call("PATCH", "/v1/webhooks/" + hook, "{\"url\":\"" + url + "\"}");
            assertError(patched, 400, "url");
            assertThat(patched.body()).doesNotContain(PASSWORD);
        }
        // Nothing changed: the webhook still points where it did.
        assertThat(api.get("/v1/webhooks/" + hook).get("url").asText()).isEqualTo(receiver.url("/plain"));
        // The way the message points to: credentials in a custom header.
        HttpResponse<String> withHeader = herald.call("PATCH", "/v1/webhooks/" + hook,
                "{\"headers\":{\"Authorization\":\"Basic YWxpY2U6aHVudGVyMi1wdw==\"}}");
        assertThat(withHeader.statusCode()).as(withHeader.body()).isEqualTo(200);
    }

    @Test
    void aRowSavedBeforeTheRuleNeverShowsItsPassword() throws Exception {
        String hook = api.hook(receiver.url("/legacy"), "[\"userinfo.legacy\"]");
        String legacyUrl = "http://alice:" + PASSWORD + "@127.0.0.1:" + receiver.port() + "/legacy";
        sql("UPDATE webhook SET url = ? WHERE id = ?", legacyUrl, hook);
        String masked = "http://****@127.0.0.1:" + receiver.port() + "/legacy";

        assertThat(api.get("/v1/webhooks/" + hook).get("url").asText()).isEqualTo(masked);
        for (String path : new String[] {"/v1/webhooks/" + hook + "?include_secret=true", "/v1/webhooks?limit=250",
                "/v1/webhooks?limit=250&include_secret=true"}) {
            HttpResponse<String> r = herald.call("GET", path, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).as(path).contains(masked).doesNotContain(PASSWORD);
        }
        HttpResponse<String> paused = herald.call("PATCH", "/v1/webhooks/" + hook, "{\"description\":\"old row\"}");
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(paused.body()).contains(masked).doesNotContain(PASSWORD);

        String event = api.send("userinfo.legacy", null);
        JsonNode shown = api.get("/v1/events/" + event);
        String delivery = shown.get("deliveries").get(0).get("id").asText();
        waitUntil(Duration.ofSeconds(20), () -> "failed".equals(status(delivery)));
        HttpResponse<String> log = herald.call("GET", "/v1/deliveries/" + delivery, null);
        JsonNode attempt = json(log).get("attempts").get(0);
        assertThat(attempt.get("url").asText()).isEqualTo(masked);
        assertThat(log.body()).doesNotContain(PASSWORD);

        // An attempt logged before this change kept the URL as it was; the answer masks it all the same.
        sql("UPDATE delivery_attempt SET url = ? WHERE delivery_id = ?", legacyUrl, delivery);
        HttpResponse<String> again = herald.call("GET", "/v1/deliveries/" + delivery, null);
        assertThat(json(again).get("attempts").get(0).get("url").asText()).isEqualTo(masked);
        assertThat(again.body()).doesNotContain(PASSWORD);
        assertThat(receiver.to("/legacy")).isEmpty();
    }

    private static String status(String delivery) {
        try {
            return api.get("/v1/deliveries/" + delivery).get("status").asText();
        } catch (Exception e) {
            return null;
        }
    }

    /** A change beside Herald (same JVM, same H2 database), as a row written by an earlier version. */
    private static void sql(String statement, String... values) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + herald.dataDir.resolve("herald")
                + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
             PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            assertThat(ps.executeUpdate()).as(statement).isPositive();
        }
    }
}
