package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.CliTest.JSON;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code herald applications ...} and {@code --app} on webhooks and events (issue 27), in this JVM against a
 * Herald and a real loopback receiver: what the CLI prints and what Herald then holds and delivers.
 */
class ApplicationsCliTest {

    static HeraldApp herald;
    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    /** The CLI against this test's Herald, --server and --api-key after the command, as CliTest does. */
    static CliTest.Run cli(String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        all.addAll(java.util.List.of("--server", "http://127.0.0.1:" + herald.port, "--api-key", HeraldApp.KEY));
        return CliTest.raw(all.toArray(String[]::new));
    }

    @Test
    void createListGetPortalAndDelete() throws Exception {
        String uid = "cli-" + UUID.randomUUID();
        CliTest.Run created = cli("applications", "create", "--name", "Initech", "--uid", uid);
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("name:", "Initech", "uid:", uid);
        String app = created.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).strip();
        assertThat(app).startsWith("app_");

        CliTest.Run listed = cli("applications", "list");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("UID", "NAME");
        assertThat(listed.out()).contains(app, uid, "Initech");
        assertThat(cli("applications", "get", uid).out()).contains(app, "Initech");

        // The link as printed works: its token is a read-only key of this application until it expires.
        CliTest.Run portal = cli("applications", "portal", uid, "--expires-in", "2h", "--read-only");
        assertThat(portal.code()).as(portal.err()).isZero();
        String url = portal.out().lines().findFirst().orElseThrow();
        String prefix = "http://127.0.0.1:" + herald.port + "/ui/portal#token=";
        assertThat(url).startsWith(prefix);
        assertThat(portal.out()).contains("expires at ", "read-only");
        JsonNode session = JSON.readTree(herald.call("GET", "/v1/session", null, url.substring(prefix.length())).body());
        assertThat(session.at("/application/id").asText()).isEqualTo(app);
        assertThat(session.get("read_only").asBoolean()).isTrue();
        long left = Duration.between(java.time.Instant.now(), java.time.Instant.parse(session.get("expires_at").asText())).toMinutes();
        assertThat(left).isBetween(118L, 120L);

        CliTest.Run tooLong = cli("applications", "portal", app, "--expires-in", "8d");
        assertThat(tooLong.code()).isEqualTo(1);
        assertThat(tooLong.err()).contains("expires_in").contains("7d");
        CliTest.Run unknown = cli("applications", "portal", "no-such-customer");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("application no-such-customer not found");

        CliTest.Run deleted = cli("applications", "delete", uid);
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("application " + uid + " deleted");
        assertThat(herald.call("GET", "/v1/applications/" + app, null).statusCode()).isEqualTo(404);
    }

    @Test
    void webhooksAndEventsOfOneApplication() throws Exception {
        String app = JSON.readTree(herald.call("POST", "/v1/applications", "{\"name\":\"Hooli\"}").body()).get("id").asText();
        String other = JSON.readTree(herald.call("POST", "/v1/applications", "{\"name\":\"Pied Piper\"}").body()).get("id").asText();
        String path = "/app-" + UUID.randomUUID();
        String otherPath = "/other-" + UUID.randomUUID();
        CliTest.Run mine = cli("webhooks", "create", "--app", app, "--url", receiver.url(path), "--events", "invoice.*");
        assertThat(mine.code()).as(mine.err()).isZero();
        assertThat(mine.out()).contains("application_id:", app);
        CliTest.Run theirs = cli("webhooks", "create", "--app", other, "--url", receiver.url(otherPath), "--events", "invoice.*");
        assertThat(theirs.code()).as(theirs.err()).isZero();

        CliTest.Run listed = cli("webhooks", "list", "--app", app);
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(receiver.url(path)).doesNotContain(otherPath);

        CliTest.Run sent = cli("events", "send", "--app", app, "--type", "invoice.paid", "--data", "{\"n\":1}");
        assertThat(sent.code()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("accepted, deliveries: del_");
        waitUntil(Duration.ofSeconds(15), () -> receiver.to(path).size() == 1);
        assertThat(receiver.to(otherPath)).isEmpty();

        CliTest.Run nowhere = cli("events", "send", "--app", "nobody", "--type", "invoice.paid", "--data", "{}");
        assertThat(nowhere.code()).isEqualTo(1);
        assertThat(nowhere.err()).contains("nobody");
    }
}
