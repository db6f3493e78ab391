package dev.herald.it;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poll intervals take durations (herald.delivery.poll-interval=500ms); their old names in
 * milliseconds still work, with one warning line each naming the new key, and lose to the new names.
 * What took effect is read from the endpoints Herald built: the scheduler's quartz trigger and the
 * inbox's file consumer.
 */
class RenamedSettingsTest {

    @Test
    void theOldMillisecondNamesStillWorkWithAWarning() throws Exception {
        Map<String, String> settings = new HashMap<>();
        // HeraldApp sets the new names; without them the built-in defaults read the old ones.
        settings.put("herald.delivery.poll-interval", null);
        settings.put("herald.inbox.poll-interval", null);
        settings.put("herald.delivery.poll-interval-ms", "1234");
        settings.put("herald.inbox.poll-interval-ms", "321");
        try (LogCapture log = new LogCapture(); HeraldApp herald = new HeraldApp(settings)) {
            assertThat(endpoint(herald, "scheduler")).contains("trigger.repeatInterval=1234");
            assertThat(endpoint(herald, "source-file")).contains("delay=321");
            assertThat(lines(log, "herald.delivery.poll-interval-ms")).containsExactly(
                    "dev.herald.RenamedSettings - herald.delivery.poll-interval-ms=1234 is an old name, read as"
                            + " herald.delivery.poll-interval=1234ms: rename it");
            assertThat(lines(log, "herald.inbox.poll-interval-ms")).containsExactly(
                    "dev.herald.RenamedSettings - herald.inbox.poll-interval-ms=321 is an old name, read as"
                            + " herald.inbox.poll-interval=321ms: rename it");
        }
    }

    @Test
    void theNewNamesWinOverTheOldOnes() throws Exception {
        Map<String, String> settings = Map.of(
                "herald.delivery.poll-interval", "1s", "herald.delivery.poll-interval-ms", "1234",
                "herald.inbox.poll-interval", "2s", "herald.inbox.poll-interval-ms", "321");
        try (LogCapture log = new LogCapture(); HeraldApp herald = new HeraldApp(settings)) {
            assertThat(endpoint(herald, "scheduler")).contains("trigger.repeatInterval=1000");
            assertThat(endpoint(herald, "source-file")).contains("delay=2000");
            assertThat(lines(log, "herald.delivery.poll-interval-ms")).containsExactly(
                    "dev.herald.RenamedSettings - herald.delivery.poll-interval-ms is an old name and is ignored:"
                            + " herald.delivery.poll-interval=1s is set; remove the old one");
            assertThat(lines(log, "herald.inbox.poll-interval-ms")).hasSize(1);
        }
    }

    private static String endpoint(HeraldApp herald, String routeId) {
        return herald.camelContext().getRoute(routeId).getEndpoint().getEndpointUri();
    }

    /** Herald's own lines about {@code text} (Camel's start-up listing of the settings names every key too). */
    private static List<String> lines(LogCapture log, String text) {
        return Arrays.stream(log.text().split("\n")).filter(l -> l.startsWith("dev.herald.") && l.contains(text)).toList();
    }
}
