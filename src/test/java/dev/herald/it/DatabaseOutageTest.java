package dev.herald.it;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.store.TestPostgres;

import org.junit.jupiter.api.Test;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away while retries are scheduled (its login is refused and every
 * Herald connection is killed), then returns: every accepted event is still delivered,
 * and ingest during the outage is refused rather than acknowledged: HTTP answers 503, a
 * dropped file waits in the inbox, a JMS message is held by its consumer (not committed)
 * until the database is back, and neither is refused as bad input. On the tests' PostgreSQL
 * ({@link TestPostgres}, the machine's or an embedded one: the outage is the same on both).
 */
class DatabaseOutageTest {

    static Connection admin() throws SQLException {
        return TestPostgres.admin();
    }

    static void sql(String statement) throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void acceptedEventsSurviveADatabaseOutage() throws Exception {
        String role = "herald_outage_" + UUID.randomUUID().toString().substring(0, 8);
        sql("CREATE ROLE " + role + " LOGIN");
        sql("CREATE SCHEMA " + role + " AUTHORIZATION " + role);
        ObjectMapper json = new ObjectMapper();
        try (Receiver receiver = new Receiver();
             HeraldApp herald = new HeraldApp(Map.of(
                     "herald.db.url", TestPostgres.url(role),
                     "herald.db.user", role,
                     "herald.db.connection-timeout", "1s",
                     "herald.jms.enabled", "true",
                     "herald.jms.embedded.port", "0"))) {
            receiver.status.set(503);
            herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/db") + "\",\"events\":[\"db.*\"],"
                    + "\"retry_schedule\":[\"0s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\"]}");
            Set<String> accepted = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"db.event\",\"data\":{\"i\":" + i + "}}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                accepted.add(json.readTree(r.body()).get("id").asText());
            }
            waitUntil(Duration.ofSeconds(20), () -> receiver.requests.stream()
                    .map(q -> q.header("X-Webhook-Id")).distinct().count() == accepted.size());

            sql("ALTER ROLE " + role + " NOLOGIN");
            sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            HttpResponse<String> during = herald.call("POST", "/v1/events", "{\"type\":\"db.event\",\"data\":{}}");
            assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
            assertThat(json.readTree(during.body()).get("error").get("code").asText()).isEqualTo("unavailable");
            // Readiness says the database is away and names its check; liveness stays up (a restart would not help).
            waitUntil(Duration.ofSeconds(15), () -> HealthChecksTest.health(herald, "/observe/health/ready").statusCode() == 503);
            HttpResponse<String> notReady = HealthChecksTest.health(herald, "/observe/health/ready");
            assertThat(notReady.statusCode()).as(notReady.body()).isEqualTo(503);
            var down = json.readTree(notReady.body());
            assertThat(down.get("status").asText()).isEqualTo("DOWN");
            assertThat(down.get("checks")).as(notReady.body()).anySatisfy(check -> {
                assertThat(check.get("name").asText()).isEqualTo("database");
                assertThat(check.get("status").asText()).isEqualTo("DOWN");
                assertThat(check.get("message").asText()).isNotEmpty();
            });
            HttpResponse<String> live = HealthChecksTest.health(herald, "/observe/health/live");
            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
            // The other sources during the outage: the file stays in the inbox, the message is held uncommitted.
            String fileEvent = "outage_file_" + UUID.randomUUID();
            String jmsEvent = "outage_jms_" + UUID.randomUUID();
            Path inbox = herald.dataDir.resolve("inbox");
            Files.createDirectories(inbox);
            Files.writeString(inbox.resolve(".outage.part"), "{\"id\":\"" + fileEvent + "\",\"type\":\"db.file\",\"data\":{}}");
            Files.move(inbox.resolve(".outage.part"), inbox.resolve("outage.json"), StandardCopyOption.ATOMIC_MOVE);
            SourcesTest.send(new ActiveMQConnectionFactory("vm://0"),
                    session -> session.createTextMessage("{\"id\":\"" + jmsEvent + "\",\"type\":\"db.jms\",\"data\":{}}"));
            accepted.add(fileEvent);
            accepted.add(jmsEvent);
            Thread.sleep(3000); // retries fall due while the database is away
            assertThat(inbox.resolve("outage.json")).as("a file waits in the inbox while the database is away").exists();
            assertThat(inbox.resolve(".error")).doesNotExist();

            receiver.status.set(200);
            sql("ALTER ROLE " + role + " LOGIN");
            waitUntil(Duration.ofSeconds(30), () -> HealthChecksTest.health(herald, "/observe/health/ready").statusCode() == 200);
            waitUntil(Duration.ofSeconds(90), () -> receiver.okIds().containsAll(accepted));
            HttpResponse<String> after = herald.call("POST", "/v1/events", "{\"type\":\"db.event\",\"data\":{}}");
            assertThat(after.statusCode()).isEqualTo(202);
            waitUntil(Duration.ofSeconds(10), () -> Files.exists(inbox.resolve(".done/outage.json")));
            assertThat(inbox.resolve(".error")).doesNotExist();
            try (jakarta.jms.Connection c = new ActiveMQConnectionFactory("vm://0").createConnection()) {
                c.start();
                jakarta.jms.Session session = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                assertThat(session.createConsumer(session.createQueue("herald.events.DLQ")).receive(500))
                        .as("nothing dead-lettered for an outage").isNull();
            }
        } finally {
            sql("ALTER ROLE " + role + " LOGIN");
            sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            sql("DROP SCHEMA " + role + " CASCADE");
            sql("DROP ROLE " + role);
        }
    }
}
