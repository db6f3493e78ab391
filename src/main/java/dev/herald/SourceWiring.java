package dev.herald;

import dev.herald.catalog.Catalog;
import dev.herald.ingest.BrokerCredentials;
import dev.herald.ingest.EmbeddedBroker;
import dev.herald.ingest.EmbeddedBrokerHealthCheck;
import dev.herald.ingest.EventParser;
import dev.herald.ingest.InboxClaims;
import dev.herald.ingest.IngestService;
import dev.herald.ingest.IngestSteps;
import dev.herald.ingest.SourceSteps;
import dev.herald.store.DataDirectory;
import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;
import dev.herald.tenancy.ApplicationNames;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.jms.ConnectionFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Ingest and the sources: the steps of routes/ingest.yaml, the file inbox, the JMS broker. */
final class SourceWiring {

    private static final Logger LOG = LoggerFactory.getLogger(SourceWiring.class);

    private SourceWiring() {
    }

    static IngestService wire(CamelContext context, Settings s, Database db, WebhookRepository webhooks,
                              DeliveryWiring delivery, Processor countIngested, Catalog catalog) throws Exception {
        Registry r = context.getRegistry();
        ApplicationNames applications = new ApplicationNames(db, s.millis("herald.ingest.application-cache"));
        EventParser parser = new EventParser(s.integer("herald.ingest.max-bytes"), s.integer("herald.ingest.max-batch"),
                applications, catalog);
        IngestService ingest = new IngestService(db, parser, webhooks, delivery.events, delivery.claims, delivery.queue);
        IngestSteps.bind(r, ingest, delivery.queue, countIngested);
        SourceSteps.bind(r, parser, s.integer("herald.ingest.max-batch"), s.integer("herald.ingest.max-request-bytes"),
                applications);
        // Not steps: what the file and JMS consumers look up by these names (idempotentRepository=#inboxClaims, jms:).
        r.bind("inboxClaims", inboxClaims(context, s, db, delivery.instance));
        r.bind("jms", jms(context, s));
        return ingest;
    }

    /** The read lock of the file source (several instances on one inbox), renewed on its own thread. */
    private static InboxClaims inboxClaims(CamelContext context, Settings s, Database db, String instance) throws Exception {
        InboxClaims claims = new InboxClaims(db, s.millis("herald.inbox.claim-timeout"),
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(db, "HeraldInboxClaims"),
                lastingId(Path.of(s.text("herald.data.dir"))), instance);
        claims.start();
        // Stopped after the routes, before the database pool (added later, stops earlier).
        context.addService(claims, true, false);
        return claims;
    }

    /** An id of this data directory, kept in it so that it outlives a restart (herald.instance.id may not: host.pid). */
    private static String lastingId(Path dataDir) throws java.io.IOException {
        Path file = dataDir.resolve("instance-id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = UUID.randomUUID().toString().substring(0, 13);
        DataDirectory.ensure(dataDir);
        Files.writeString(file, id + "\n");
        return id;
    }

    /**
     * The "jms" component of the JMS source: the broker at herald.jms.broker-url, or else an
     * embedded Artemis broker started here, before any route, and stopped after them.
     */
    private static JmsComponent jms(CamelContext context, Settings s) throws Exception {
        String url = s.text("herald.jms.broker-url");
        ConnectionFactory factory;
        if (!Boolean.parseBoolean(s.text("herald.jms.enabled"))) {
            // No broker; the JMS routes are created (not started) and need a factory to be created.
            factory = new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL);
        } else if (url.isEmpty()) {
            BrokerCredentials tcpLogin = BrokerCredentials.resolve(s.text("herald.jms.embedded.user"),
                    s.text("herald.jms.embedded.password"), Path.of(s.text("herald.data.dir")));
            EmbeddedBroker broker = new EmbeddedBroker(Path.of(s.text("herald.data.dir"), "artemis"),
                    s.text("herald.jms.embedded.host"), s.integer("herald.jms.embedded.port"),
                    s.text("herald.jms.queue"), s.text("herald.jms.dead-letter-queue"), tcpLogin);
            broker.start();
            context.addService(broker, true, false);
            // Readiness check "embedded-broker": found in the registry by Camel's health registry.
            context.getRegistry().bind("heraldEmbeddedBrokerCheck", new EmbeddedBrokerHealthCheck(broker));
            factory = new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL);
        } else {
            String user = s.text("herald.jms.user");
            factory = user.isEmpty() ? new ActiveMQConnectionFactory(url)
                    : new ActiveMQConnectionFactory(url, user, s.text("herald.jms.password"));
            LOG.info("JMS source uses the broker at {}", url);
        }
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(factory);
        // transacted=true then means a local JMS session transaction with cached consumers, not a
        // transaction manager that opens a new connection per message.
        jms.setLazyCreateTransactionManager(false);
        return jms;
    }
}
