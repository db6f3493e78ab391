package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.store.TestDatabase;
import dev.herald.store.TestPostgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's API keys (docs/api.md "API keys") on two Herald JVMs sharing one PostgreSQL
 * schema: a key is shown once and stored as a digest, works on both, is refused once expired, once
 * revoked (on the other instance too, within 5 s) and once its application is deleted; a read-only
 * key changes nothing; an application key gets 404 from the operator's calls.
 */
class ApiKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String OPERATOR = "keys-operator-key-1";
    private static final int INSTANCES = 2;

    private static String schema;
    private static Path work;
    private static final int[] ports = new int[INSTANCES];
    private static final Process[] heralds = new Process[INSTANCES];

    @BeforeAll
    static void start() throws Exception {
        schema = TestDatabase.createPostgresSchema();
        work = Files.createTempDirectory("herald-keys");
        for (int i = 0; i < INSTANCES; i++) {
            ports[i] = HeraldApp.freePort();
            Map<String, String> s = new LinkedHashMap<>();
            s.put("herald.db.url", TestPostgres.url(schema));
            s.put("herald.db.user", TestDatabase.PG_USER);
            s.put("herald.db.password", "");
            s.put("herald.db.pool-size", "4");
            s.put("herald.api.keys", OPERATOR);
            s.put("herald.jms.enabled", "false");
            s.put("herald.inbox.enabled", "false");
            s.put("herald.delivery.allowed-networks", "127.0.0.0/8");
            s.put("herald.http.port", Integer.toString(ports[i]));
            s.put("herald.data.dir", work.resolve("herald-" + i).toString());
            s.put("herald.routes.dir", work.resolve("herald-" + i).resolve("routes").toString());
            heralds[i] = HeraldProcess.herald(HeraldApp.freePort(), s, log(i));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (Process p : heralds) {
                if (p != null) {
                    HeraldProcess.stop(p);
                }
            }
        } finally {
            if (schema != null) {
                TestDatabase.dropPostgresSchema(schema);
            }
        }
    }

    @Test
    void aKeyIsShownOnceListedWithoutItsValueAndStoredOnlyAsItsDigest() throws Exception {
        String app = application("keys-shown");
        HttpResponse<String> made = call(0, "POST", "/v1/applications/keys-shown/keys",
                "{\"name\":\"ci\",\"expires_in\":\"30d\"}", OPERATOR);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode key = JSON.readTree(made.body());
        String value = key.get("key").asText();
        String id = key.get("id").asText();
        assertThat(id).startsWith("key_");
        assertThat(value).startsWith("hk_").hasSize(46);
        assertThat(key.get("name").asText()).isEqualTo("ci");
        assertThat(key.get("read_only").asBoolean()).isFalse();
        Instant created = Instant.parse(key.get("created_at").asText());
        assertThat(Duration.between(created, Instant.parse(key.get("expires_at").asText()))).isEqualTo(Duration.ofDays(30));

        // Listed by its id or its uid, on either instance, with neither the value nor its digest.
        for (String path : new String[] {"/v1/applications/" + app + "/keys", "/v1/applications/keys-shown/keys"}) {
            HttpResponse<String> list = call(1, "GET", path, null, OPERATOR);
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            JsonNode data = JSON.readTree(list.body()).get("data");
            assertThat(data).hasSize(1);
            assertThat(data.get(0).get("id").asText()).isEqualTo(id);
            assertThat(data.get(0).get("hint").asText()).isEqualTo("..." + value.substring(value.length() - 4));
            assertThat(data.get(0).has("key")).isFalse();
            assertThat(list.body()).doesNotContain(value).doesNotContain(sha256(value));
        }

        // The row: the digest of the key, and nowhere the key itself.
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT * FROM api_key WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("key_hash")).isEqualTo(sha256(value));
                assertThat(rs.getString("application_id")).isEqualTo(app);
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    assertThat(String.valueOf(rs.getString(i))).doesNotContain(value.substring(3));
                }
            }
        }
        assertThat(call(0, "GET", "/v1/webhooks", null, value).statusCode()).isEqualTo(200);

        // The answers have exactly the fields GET /v1/openapi.json gives them.
        JsonNode doc = JSON.readTree(call(0, "GET", "/v1/openapi.json", null, null).body());
        JsonNode list = JSON.readTree(call(0, "GET", "/v1/applications/" + app + "/keys", null, OPERATOR).body());
        assertThat(fields(key)).isEqualTo(fields(doc.at("/components/schemas/ApiKeyCreated/properties")));
        assertThat(fields(list)).isEqualTo(fields(doc.at("/components/schemas/ApiKeyList/properties")));
        assertThat(fields(list.at("/data/0"))).isEqualTo(fields(doc.at("/components/schemas/ApiKey/properties")));
        for (int i = 0; i < INSTANCES; i++) {
            assertThat(Files.readString(log(i))).as("log of instance " + i).doesNotContain(value.substring(3));
        }
    }

    @Test
    void badRequestsAreRefusedWithTheFieldAtFault() throws Exception {
        application("keys-bad");
        String path = "/v1/applications/keys-bad/keys";
        error(call(0, "POST", "/v1/applications/app_nothing/keys", "{}", OPERATOR), 404, "not_found", "application");
        error(call(0, "GET", "/v1/applications/app_nothing/keys", null, OPERATOR), 404, "not_found", "application");
        error(call(0, "POST", path, "{\"expires_in\":\"soon\"}", OPERATOR), 400, "invalid_request", "expires_in");
        error(call(0, "POST", path, "{\"expires_in\":\"3651d\"}", OPERATOR), 400, "invalid_request", "expires_in");
        error(call(0, "POST", path, "{\"expires_in\":\"0s\"}", OPERATOR), 400, "invalid_request", "expires_in");
        error(call(0, "POST", path, "{\"read_only\":\"yes\"}", OPERATOR), 400, "invalid_request", "read_only");
        error(call(0, "POST", path, "{\"name\":7}", OPERATOR), 400, "invalid_request", "name");
        error(call(0, "POST", path, "{\"scopes\":[]}", OPERATOR), 400, "invalid_request", "scopes");
        error(call(0, "DELETE", path + "/key_nothing", null, OPERATOR), 404, "not_found", null);
        // Another application's key cannot be revoked through this one's path.
        application("keys-other");
        String other = JSON.readTree(call(0, "POST", "/v1/applications/keys-other/keys", null, OPERATOR).body()).get("id").asText();
        error(call(0, "DELETE", path + "/" + other, null, OPERATOR), 404, "not_found", null);
        assertThat(call(0, "DELETE", "/v1/applications/keys-other/keys/" + other, null, OPERATOR).statusCode()).isEqualTo(204);
    }

    @Test
    void anApplicationKeyWorksOnTheResourcesAndGets404FromTheOperatorsCalls() throws Exception {
        String app = application("keys-works");
        String key = key("keys-works", "{}");
        for (int i = 0; i < INSTANCES; i++) {
            assertThat(call(i, "GET", "/v1/webhooks", null, key).statusCode()).isEqualTo(200);
            assertThat(call(i, "GET", "/v1/deliveries", null, key).statusCode()).isEqualTo(200);
            // The HTTP source (routes/http-source.yaml) takes the key too.
            HttpResponse<String> sent = call(i, "POST", "/v1/events", "{\"type\":\"keys.works\",\"data\":{}}", key);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            for (String path : new String[] {"/v1/stats/deliveries", "/v1/applications/" + app + "/keys"}) {
                error(call(i, "GET", path, null, key), 404, "not_found", null);
                assertThat(call(i, "GET", path, null, OPERATOR).statusCode()).isEqualTo(200);
            }
            error(call(i, "POST", "/v1/applications/" + app + "/keys", "{}", key), 404, "not_found", null);
        }
        // Shaped like a key but never made, and not shaped like one: both 401.
        error(call(0, "GET", "/v1/webhooks", null, "hk_" + "A".repeat(43)), 401, "unauthorized", null);
        error(call(0, "GET", "/v1/webhooks", null, key + "x"), 401, "unauthorized", null);
    }

    @Test
    void aReadOnlyKeyReadsButChangesNothing() throws Exception {
        application("keys-read");
        String key = key("keys-read", "{\"read_only\":true}");
        String hook = JSON.readTree(call(0, "POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"k.r\"]}",
                OPERATOR).body()).get("id").asText();
        assertThat(call(1, "GET", "/v1/webhooks", null, key).statusCode()).isEqualTo(200);
        error(call(1, "POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/y\",\"events\":[\"k.r\"]}", key), 403, "read_only", null);
        error(call(1, "POST", "/v1/events", "{\"type\":\"k.r\",\"data\":{}}", key), 403, "read_only", null);
        error(call(1, "PATCH", "/v1/webhooks/" + hook, "{\"name\":\"n\"}", key), 403, "read_only", null);
        error(call(1, "DELETE", "/v1/webhooks/" + hook, null, key), 403, "read_only", null);
        // The operator's calls answer it 404 whatever the method, as to any application key.
        error(call(1, "POST", "/v1/applications/keys-read/keys", "{}", key), 404, "not_found", null);
        error(call(1, "GET", "/v1/applications/keys-read/keys", null, key), 404, "not_found", null);
        // Nothing changed: no webhook made, no event taken, the webhook still there.
        assertThat(call(0, "GET", "/v1/webhooks/" + hook, null, OPERATOR).statusCode()).isEqualTo(200);
        assertThat(call(0, "GET", "/v1/events?type=k.r", null, OPERATOR).body()).doesNotContain("evt_");
        assertThat(JSON.readTree(call(0, "GET", "/v1/webhooks?limit=250", null, OPERATOR).body()).get("data").toString())
                .doesNotContain("127.0.0.1:9/y");
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        application("keys-expiring");
        HttpResponse<String> made = call(0, "POST", "/v1/applications/keys-expiring/keys", "{\"expires_in\":\"5s\"}", OPERATOR);
        JsonNode created = JSON.readTree(made.body());
        String key = created.get("key").asText();
        long expires = Instant.parse(created.get("expires_at").asText()).toEpochMilli();
        // Used at once on both instances (and so remembered by both), then refused after expires_at.
        assertThat(call(0, "GET", "/v1/webhooks", null, key).statusCode()).isEqualTo(200);
        assertThat(call(1, "GET", "/v1/webhooks", null, key).statusCode()).isEqualTo(200);
        assertThat(System.currentTimeMillis()).as("the calls above ran before the key expired").isLessThan(expires);
        Thread.sleep(Math.max(0, expires - System.currentTimeMillis()) + 50);
        error(call(0, "GET", "/v1/webhooks", null, key), 401, "unauthorized", null);
        error(call(1, "GET", "/v1/webhooks", null, key), 401, "unauthorized", null);
        // Still listed, with its expiry, until revoked.
        assertThat(call(0, "GET", "/v1/applications/keys-expiring/keys", null, OPERATOR).body()).contains(created.get("id").asText());
    }

    /**
     * Revoked on instance 0, the key stops there at once and on instance 1, which used it a moment
     * before (so holds it in its cache), within 5 s.
     */
    @Test
    void aKeyRevokedOnOneInstanceStopsOnTheOtherWithinFiveSeconds() throws Exception {
        application("keys-revoked");
        HttpResponse<String> made = call(0, "POST", "/v1/applications/keys-revoked/keys", "{\"name\":\"gone\"}", OPERATOR);
        JsonNode created = JSON.readTree(made.body());
        String key = created.get("key").asText();
        for (int round = 0; round < 3; round++) {
            assertThat(call(1, "GET", "/v1/webhooks", null, key).statusCode()).isEqualTo(200);
            assertThat(call(0, "GET", "/v1/webhooks", null, key).statusCode()).isEqualTo(200);
        }
        assertThat(call(0, "DELETE", "/v1/applications/keys-revoked/keys/" + created.get("id").asText(), null, OPERATOR)
                .statusCode()).isEqualTo(204);
        long revoked = System.nanoTime();
        error(call(0, "GET", "/v1/webhooks", null, key), 401, "unauthorized", null);
        long stopped = stoppedOn(1, key, revoked);
        System.out.printf("revoked key refused by the other instance after %d ms%n", stopped);
        assertThat(stopped).isLessThanOrEqualTo(5_000);
        assertThat(call(0, "GET", "/v1/applications/keys-revoked/keys", null, OPERATOR).body()).doesNotContain(created.get("id").asText());
    }

    /** The application's row deleted (as its DELETE will): its keys go with it, on every instance within 5 s. */
    @Test
    void anApplicationDeletedTakesItsKeysOnEveryInstanceWithinFiveSeconds() throws Exception {
        String app = application("keys-deleted");
        String key = key("keys-deleted", "{}");
        assertThat(call(0, "GET", "/v1/webhooks", null, key).statusCode()).isEqualTo(200);
        assertThat(call(1, "GET", "/v1/webhooks", null, key).statusCode()).isEqualTo(200);
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("DELETE FROM application WHERE id = ?")) {
            ps.setString(1, app);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        long deleted = System.nanoTime();
        assertThat(stoppedOn(0, key, deleted)).isLessThanOrEqualTo(5_000);
        assertThat(stoppedOn(1, key, deleted)).isLessThanOrEqualTo(5_000);
    }

    /** Milliseconds from {@code since} (nanoTime) until instance {@code i} refuses {@code key}, calling all along. */
    private static long stoppedOn(int i, String key, long since) throws Exception {
        waitUntil(Duration.ofSeconds(10), () -> {
            try {
                return call(i, "GET", "/v1/webhooks", null, key).statusCode() == 401;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** An application row, as the applications API (another part of issue 27) will make it; its id. */
    private static String application(String uid) throws Exception {
        String id = "app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase();
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO application (id, uid, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, uid);
            ps.setString(3, uid);
            ps.setLong(4, System.currentTimeMillis());
            ps.setLong(5, System.currentTimeMillis());
            ps.executeUpdate();
        }
        return id;
    }

    private static String key(String app, String body) throws Exception {
        HttpResponse<String> made = call(0, "POST", "/v1/applications/" + app + "/keys", body, OPERATOR);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return JSON.readTree(made.body()).get("key").asText();
    }

    private static Set<String> fields(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection(TestPostgres.url(schema), TestDatabase.PG_USER, "");
    }

    private static Path log(int i) {
        return work.resolve("herald-" + i + ".log");
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static void error(HttpResponse<String> r, int status, String code, String field) throws Exception {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + ": " + r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception");
        if (field != null) {
            assertThat(error.get("field").asText()).as(r.body()).isEqualTo(field);
        }
    }

    private static HttpResponse<String> call(int instance, String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[instance] + path))
                .timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
