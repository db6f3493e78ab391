package dev.herald.it;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed run of a timer route (metrics, retention) says what is true of it: the run failed and
 * the next run tries again; not the delivery routes' "the scheduler will take the row again".
 * The runs are made to fail by taking their tables away beside Herald (same JVM, same H2 database),
 * and the next run after the tables are back does its work.
 */
class TimerFailuresTest {

    @Test
    void aFailedRunOfRetentionOrMetricsSaysTheNextRunTriesAgain() throws Exception {
        try (LogCapture log = new LogCapture();
             HeraldApp herald = new HeraldApp(Map.of("herald.retention.interval", "1s", "herald.metrics.flush-interval", "1s"))) {
            // Retention's events step and the metrics' per-minute table; the idle scheduler reads neither.
            sql(herald, "ALTER TABLE event RENAME TO event_away", "ALTER TABLE delivery_minute RENAME TO delivery_minute_away");
            waitUntil(Duration.ofSeconds(20), () -> log.text().contains("The retention run failed")
                    && log.text().contains("The metrics-minutes run failed"));
            assertThat(line(log, "The retention run failed"))
                    .startsWith("dev.herald.routes.TimerRouteConfiguration - The retention run failed; the next run tries again: ")
                    .containsIgnoringCase("event");
            assertThat(line(log, "The metrics-minutes run failed"))
                    .startsWith("dev.herald.routes.TimerRouteConfiguration - The metrics-minutes run failed; the next run tries again: ")
                    .containsIgnoringCase("delivery_minute");
            assertThat(log.text()).doesNotContain("retention failed, the scheduler will take the row again")
                    .doesNotContain("metrics-minutes failed, the scheduler will take the row again");

            sql(herald, "ALTER TABLE event_away RENAME TO event", "ALTER TABLE delivery_minute_away RENAME TO delivery_minute");
            int reportsBefore = count(log, "Retention: deleted");
            waitUntil(Duration.ofSeconds(20), () -> count(log, "Retention: deleted") > reportsBefore);
        }
    }

    private static void sql(HeraldApp herald, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + herald.dataDir.resolve("herald")
                + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
             Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String line(LogCapture log, String text) {
        return Arrays.stream(log.text().split("\n")).filter(l -> l.contains(text)).findFirst().orElseThrow();
    }

    private static int count(LogCapture log, String text) {
        return (int) Arrays.stream(log.text().split("\n")).filter(l -> l.contains(text)).count();
    }
}
