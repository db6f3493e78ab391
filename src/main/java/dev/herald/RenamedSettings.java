package dev.herald;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Settings that took milliseconds under a {@code -ms} name and now take durations like the others.
 * The old name is still read: the new one's default in application.properties is the old one's value
 * in ms ({@code herald.delivery.poll-interval={{herald.delivery.poll-interval-ms:500}}ms}), so a new
 * name given anywhere wins. This says so in one line per old name found.
 */
final class RenamedSettings {

    private static final Logger LOG = LoggerFactory.getLogger(RenamedSettings.class);

    /** Old name, new name. */
    static final Map<String, String> RENAMED = Map.of(
            "herald.delivery.poll-interval-ms", "herald.delivery.poll-interval",
            "herald.inbox.poll-interval-ms", "herald.inbox.poll-interval");

    private RenamedSettings() {
    }

    static void check(Settings s) {
        RENAMED.forEach((oldKey, newKey) -> {
            String old = s.text(oldKey);
            if (old.isEmpty()) {
                return;
            }
            if (!old.matches("\\d{1,12}")) {
                throw new IllegalArgumentException(oldKey + " must be a number of milliseconds, not \"" + cap(old)
                        + "\"; it is an old name: write " + newKey + "=500ms");
            }
            long millis = s.millis(newKey);
            if (millis == Long.parseLong(old)) {
                LOG.warn("{}={} is an old name, read as {}={}ms: rename it", oldKey, old, newKey, old);
            } else {
                LOG.warn("{} is an old name and is ignored: {}={} is set; remove the old one", oldKey, newKey, s.text(newKey));
            }
        });
    }

    private static String cap(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
