package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.CliTest.JSON;
import static dev.herald.it.CliTest.raw;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the CLI's --server, --api-key and --json may stand: before or after any command word, and what
 * --url means where (Herald's address right after 'herald', the receiver's after 'webhooks create').
 */
class CliOptionsTest {

    static HeraldApp herald;
    static Receiver receiver;
    static String server;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
        server = "http://127.0.0.1:" + herald.port;
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    /** webhooks create with every option after it: --url is the receiver's, --server Herald's. */
    static JsonNode create(String path) throws Exception {
        CliTest.Run created = raw("webhooks", "create", "--url", receiver.url(path), "--events", "opt.x",
                "--server", server, "--api-key", HeraldApp.KEY, "--json");
        assertThat(created.code()).as(created.err()).isZero();
        return JSON.readTree(created.out());
    }

    @Test
    void optionsAfterTheCommandReachHeraldAndTheReceiverGetsTheTestEvent() throws Exception {
        String path = "/opt-after-" + UUID.randomUUID();
        JsonNode hook = create(path);
        assertThat(hook.get("url").asText()).isEqualTo(receiver.url(path));
        String id = hook.get("id").asText();

        CliTest.Run test = raw("webhooks", "test", id, "--api-key", HeraldApp.KEY, "--server", server, "--json");
        assertThat(test.code()).as(test.err()).isZero();
        JsonNode queued = JSON.readTree(test.out());
        assertThat(queued.get("delivery_id").asText()).startsWith("del_");
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        assertThat(receiver.to(path).get(0).header("X-Webhook-Event")).isEqualTo("test");
        assertThat(new String(receiver.to(path).get(0).body(), StandardCharsets.UTF_8)).contains("\"type\":\"test\"");

        // Between the group and its command too.
        waitUntil(Duration.ofSeconds(10), () -> raw("deliveries", "--server", server, "list", "--webhook", id,
                "--api-key", HeraldApp.KEY).out().contains("success"));
        CliTest.Run page = raw("deliveries", "--server", server, "--json", "list", "--webhook", id,
                "--api-key", HeraldApp.KEY);
        assertThat(page.code()).as(page.err()).isZero();
        JsonNode deliveries = JSON.readTree(page.out()).get("deliveries");
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0).get("id").asText()).isEqualTo(queued.get("delivery_id").asText());
    }

    @Test
    void optionsBeforeTheCommandWorkAsBefore() throws Exception {
        String path = "/opt-before-" + UUID.randomUUID();
        String id = create(path).get("id").asText();
        CliTest.Run test = raw("--server", server, "--api-key", HeraldApp.KEY, "--json", "webhooks", "test", id);
        assertThat(test.code()).as(test.err()).isZero();
        assertThat(JSON.readTree(test.out()).get("event_id").asText()).startsWith("evt_");
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        assertThat(receiver.to(path).get(0).header("X-Webhook-Event")).isEqualTo("test");

        CliTest.Run get = raw("--api-key", HeraldApp.KEY, "webhooks", "get", id, "--server", server);
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(get.out()).contains("url:", receiver.url(path));
    }

    @Test
    void theOldUrlSpellingWorksRightAfterHeraldOnly() throws Exception {
        String path = "/opt-old-" + UUID.randomUUID();
        // Both meanings in one line, as scripts written for the old CLI have them.
        CliTest.Run created = raw("--url", server, "--api-key", HeraldApp.KEY, "webhooks", "create",
                "--url", receiver.url(path), "--events", "opt.x", "--json");
        assertThat(created.code()).as(created.err()).isZero();
        JsonNode hook = JSON.readTree(created.out());
        assertThat(hook.get("url").asText()).isEqualTo(receiver.url(path));
        assertThat(raw("--url", server, "webhooks", "get", hook.get("id").asText(), "--api-key", HeraldApp.KEY).out())
                .contains(receiver.url(path));

        // After a command --url is not Herald's address: refused with a pointer to --server, nothing sent.
        CliTest.Run after = raw("webhooks", "list", "--url", server, "--api-key", HeraldApp.KEY);
        assertThat(after.code()).isEqualTo(2);
        assertThat(after.out()).isEmpty();
        assertThat(after.err()).startsWith("Unknown options: '--url'").contains("Herald's address is --server URL");
        assertThat(raw("webhooks", "--url=" + server, "list").err()).contains("Herald's address is --server URL");

        // Two different addresses: a usage error rather than a guess.
        CliTest.Run both = raw("--url", "http://127.0.0.1:1", "--api-key", HeraldApp.KEY, "webhooks", "list",
                "--server", server);
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).startsWith("Herald's address given twice: --server " + server + " and --url http://127.0.0.1:1");
    }

    @Test
    void helpShowsTheCommonOptionsOnceUnderTheirOwnHeading() {
        for (String[] args : new String[][] {{"--help"}, {"webhooks", "--help"}, {"webhooks", "create", "--help"},
                {"deliveries", "list", "--help"}}) {
            String help = raw(args).out();
            String common = help.substring(help.indexOf("For every command, before or after it:"));
            for (String option : new String[] {"--server=URL", "--api-key=KEY", "--json"}) {
                assertThat(help.lines().filter(l -> l.strip().startsWith(option))).as(String.join(" ", args)).hasSize(1);
                assertThat(common).contains(option);
            }
        }
        String root = raw("--help").out();
        assertThat(root).containsPattern("--url=URL\\s+Deprecated: the old name of --server");
        assertThat(raw("webhooks", "create", "--help").out())
                .containsPattern("--url=URL\\s+The receiver").doesNotContain("Deprecated");
    }
}
