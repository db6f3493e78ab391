package dev.herald.it;

import dev.herald.ingest.EmbeddedBroker;
import dev.herald.store.TestPostgres;

import jakarta.jms.JMSException;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.DatabaseOutageTest.sql;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Herald on an external Artemis broker (herald.jms.broker-url), here one started by the test on
 * a loopback port with Artemis' shipped defaults: max-delivery-attempts 10, then the dead letter
 * address DLQ. Herald runs no broker of its own and its readiness does not ask for one; a message
 * sent to herald.events is delivered; a good message arriving while the database is away (longer
 * than ten redeliveries would take) is delivered once it is back and is not dead-lettered.
 * On the tests' PostgreSQL ({@link TestPostgres}; the outage is a login refused, as in DatabaseOutageTest).
 */
class ExternalBrokerTest {

    @Test
    void anExternalBrokerFeedsHeraldAndADatabaseOutageDeadLettersNothing() throws Exception {
        String role = "herald_broker_" + UUID.randomUUID().toString().substring(0, 8);
        sql("CREATE ROLE " + role + " LOGIN");
        sql("CREATE SCHEMA " + role + " AUTHORIZATION " + role);
        int port = HeraldApp.freePort();
        EmbeddedActiveMQ broker = broker(Files.createTempDirectory("external-artemis"), port);
        ActiveMQConnectionFactory tcp = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
        try (Receiver receiver = new Receiver();
             HeraldApp herald = new HeraldApp(Map.of(
                     "herald.jms.enabled", "true",
                     "herald.jms.broker-url", "tcp://127.0.0.1:" + port,
                     "herald.db.url", TestPostgres.url(role),
                     "herald.db.user", role,
                     // Each try waits this long for a connection: ten tries take about 2.5 s.
                     "herald.db.connection-timeout", "250ms"))) {
            // No broker of Herald's own: no service, no in-VM acceptor, no readiness check asking for one.
            assertThat(herald.camelContext().hasService(EmbeddedBroker.class)).isNull();
            assertThat(HealthCheckRegistry.get(herald.camelContext()).stream().map(HealthCheck::getId))
                    .doesNotContain("embedded-broker");
            assertThatThrownBy(() -> new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL).createConnection().close())
                    .isInstanceOf(JMSException.class);
            HttpResponse<String> ready = HealthChecksTest.health(herald, "/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

            HttpResponse<String> hook = herald.call("POST", "/v1/webhooks",
                    "{\"url\":\"" + receiver.url("/ext") + "\",\"events\":[\"ext.*\"]}");
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
            String first = "ext_first_" + UUID.randomUUID();
            SourcesTest.send(tcp, s -> s.createTextMessage("{\"id\":\"" + first + "\",\"type\":\"ext.order\",\"data\":{}}"));
            waitUntil(Duration.ofSeconds(20), () -> receiver.okIds().contains(first));

            sql("ALTER ROLE " + role + " NOLOGIN");
            sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            waitUntil(Duration.ofSeconds(15), () -> HealthChecksTest.health(herald, "/observe/health/ready").statusCode() == 503);
            String during = "ext_outage_" + UUID.randomUUID();
            SourcesTest.send(tcp, s -> s.createTextMessage("{\"id\":\"" + during + "\",\"type\":\"ext.order\",\"data\":{}}"));
            // Longer than the broker's ten deliveries would take if each try were rolled back.
            Thread.sleep(6000);
            assertThat(receiver.okIds()).doesNotContain(during);
            sql("ALTER ROLE " + role + " LOGIN");

            waitUntil(Duration.ofSeconds(30), () -> receiver.okIds().contains(during));
            assertThat(receiver.to("/ext")).filteredOn(r -> during.equals(r.header("X-Webhook-Id"))).hasSize(1);
            waitUntil(Duration.ofSeconds(10), () -> queue(broker, "herald.events").getMessageCount() == 0);
            assertThat(queue(broker, "DLQ").getMessageCount()).as("nothing in the broker's dead letter address").isZero();
            assertThat(queue(broker, "herald.events.DLQ").getMessageCount()).as("nothing refused by Herald").isZero();
        } finally {
            broker.stop();
            sql("ALTER ROLE " + role + " LOGIN");
            sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            sql("DROP SCHEMA " + role + " CASCADE");
            sql("DROP ROLE " + role);
        }
    }

    /** An Artemis broker as shipped (broker.xml's address settings), persistent, on a loopback TCP port only. */
    private static EmbeddedActiveMQ broker(Path dir, int port) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("external")
                .setPersistenceEnabled(true)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                // A test broker on the machine's shared disk: Artemis blocks every producer (no error,
                // no timeout) once the disk is 90% used, which says nothing about Herald.
                .setMaxDiskUsage(-1)
                .setNodeManagerLockDirectory(dir.toString())
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                .setRedeliveryDelay(0)
                .setMaxDeliveryAttempts(10));
        for (String name : new String[] {"DLQ", "ExpiryQueue", "herald.events", "herald.events.DLQ"}) {
            config.addQueueConfiguration(QueueConfiguration.of(name).setAddress(name)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        return broker;
    }

    private static Queue queue(EmbeddedActiveMQ broker, String name) {
        return broker.getActiveMQServer().locateQueue(SimpleString.of(name));
    }
}
