package dev.herald;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.herald.api.ApiAuth;
import dev.herald.api.ApiErrors;
import dev.herald.api.ApiKeys;
import dev.herald.api.ApiRespond;
import dev.herald.api.ApiServerGuards;
import dev.herald.api.DeliveryApi;
import dev.herald.api.WebhookApi;
import dev.herald.delivery.AttemptRecorder;
import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.Dispatcher;
import dev.herald.delivery.EndpointLimiter;
import dev.herald.delivery.DispatchQueue;
import dev.herald.delivery.Leases;
import dev.herald.delivery.RetryPolicies;
import dev.herald.delivery.RetrySchedule;
import dev.herald.delivery.Scheduler;
import dev.herald.delivery.SchedulerRoutes;
import dev.herald.egress.AddressPolicy;
import dev.herald.egress.AttemptDeadline;
import dev.herald.egress.ReceiverHttp;
import dev.herald.ingest.BrokerCredentials;
import dev.herald.ingest.EmbeddedBroker;
import dev.herald.ingest.EventParser;
import dev.herald.ingest.InboxFiles;
import dev.herald.ingest.JmsBodyLimit;
import dev.herald.ingest.SourceErrors;
import dev.herald.ingest.IngestService;
import dev.herald.store.Database;
import dev.herald.subscription.StoredSecrets;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Wires Herald's beans from the herald.* settings. Built in one place, in dependency
 * order, because Camel 4.18 runs scanned {@code @BindToRegistry} methods twice and in
 * no defined order across classes (a second connection pool, beans missing their
 * dependencies).
 */
@Configuration
public class HeraldConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HeraldConfiguration.class);
    private static final String POLICY_PREFIX = "herald.retry.policies.";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings s = new Settings(context);
        Registry r = context.getRegistry();
        Path dataDir = dev.herald.store.DataDirectory.ensure(Path.of(s.text("herald.data.dir")));
        // Before anything opens: an empty or unreadable key file stops the start here.
        List<String> apiKeys = ApiKeys.resolve(s.text("herald.api.keys"), dataDir);

        Database db = database(context, s);
        r.bind("heraldDatabase", db);

        RetryPolicies policies = retryPolicies(context, s.text("herald.retry.default-policy"));
        WebhookRepository webhooks = new WebhookRepository(StoredSecrets.atStart(db, s.text("herald.secrets.key")));
        DeliveryRepository deliveries = new DeliveryRepository(!s.text("herald.db.url").startsWith("jdbc:h2:"));
        Leases leases = new Leases();
        // Half the queue's room may be parked in all; the rest always serves endpoints with free slots.
        EndpointLimiter limiter = new EndpointLimiter(s.integer("herald.delivery.per-endpoint-concurrency"),
                s.integer("herald.delivery.max-parked-per-endpoint"), s.integer("herald.delivery.queue-size") / 2);
        DispatchQueue queue = new DispatchQueue(context, s.integer("herald.delivery.queue-size"),
                s.millis("herald.delivery.lease"), leases, limiter, webhooks::cachedUrl);
        long timeout = s.millis("herald.delivery.timeout");
        int concurrency = s.integer("herald.delivery.concurrency");

        r.bind("retryPolicies", policies);
        r.bind("webhookRepository", webhooks);
        r.bind("deliveryRepository", deliveries);
        r.bind("dispatchQueue", queue);
        AddressPolicy addressPolicy = AddressPolicy.of(s.text("herald.delivery.allowed-networks"));
        AttemptDeadline deadline = new AttemptDeadline(timeout);
        r.bind("addressPolicy", addressPolicy);
        context.addService(onStop(deadline::close), true, true);
        r.bind("http", ReceiverHttp.component(addressPolicy, deadline, concurrency));
        AttemptRecorder recorder = new AttemptRecorder(db, deliveries);
        Dispatcher dispatcher = new Dispatcher(db, deliveries, webhooks, policies, timeout,
                s.integer("herald.delivery.max-response-bytes"), s.millis("herald.retry.in-memory-max"),
                s.integer("herald.retry.in-memory-limit"), "Herald/" + version(),
                limiter, queue, recorder, deadline);
        r.bind("dispatcher", dispatcher);
        org.apache.camel.support.EventNotifierSupport onStopping = new org.apache.camel.support.EventNotifierSupport() {
            @Override
            public void notify(org.apache.camel.spi.CamelEvent event) {
                if (event instanceof org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent) {
                    dispatcher.stopping();
                }
            }
        };
        // Only the context's stopping event is wanted: with exchange events ignored, Camel does not
        // build an event for every exchange of every delivery.
        onStopping.setIgnoreExchangeEvents(true);
        onStopping.setIgnoreRouteEvents(true);
        onStopping.setIgnoreServiceEvents(true);
        onStopping.setIgnoreStepEvents(true);
        context.getManagementStrategy().addEventNotifier(onStopping);
        Scheduler scheduler = new Scheduler(db, deliveries, webhooks, queue, 500, s.integer("herald.delivery.poll-interval-ms"));
        r.bind("scheduler", scheduler);
        // A saturated endpoint with room again: claim for it now, not at the next poll (one request
        // waiting is enough; more would claim the same rows).
        org.apache.camel.ProducerTemplate wake = context.createProducerTemplate();
        limiter.onRoom(() -> wake.sendBody(SchedulerRoutes.WAKE + "&discardWhenFull=true", null));

        EventParser parser = new EventParser(s.integer("herald.ingest.max-bytes"), s.integer("herald.ingest.max-batch"));
        IngestService ingest = new IngestService(db, parser, webhooks, deliveries, queue);
        r.bind("ingestService", ingest);
        r.bind("inboxFiles", new InboxFiles(parser, s.integer("herald.ingest.max-batch"),
                s.integer("herald.ingest.max-request-bytes")));
        r.bind("sourceErrors", new SourceErrors());
        r.bind("jmsBodyLimit", new JmsBodyLimit(s.integer("herald.ingest.max-request-bytes")));
        r.bind("jms", jms(context, s));

        r.bind("apiAuth", new ApiAuth(apiKeys));
        ApiServerGuards.install(context);
        r.bind("apiRespond", new ApiRespond());
        r.bind("apiErrors", new ApiErrors());
        r.bind("webhookApi", new WebhookApi(db, webhooks, deliveries, policies, addressPolicy, ingest, queue,
                s.integer("herald.api.page-size")));
        r.bind("deliveryApi", new DeliveryApi(db, deliveries, queue));

        // Services stop in reverse order: routes first, then the last attempt results are written and
        // leases handed back, then the pool closes.
        context.addService(onStop(() -> ((HikariDataSource) db.dataSource()).close()), true, true);
        context.addService(onStop(() -> {
            if (!recorder.flush(5_000)) {
                LOG.warn("The last attempt results were not all written within 5 s; those deliveries are attempted again");
            }
            try {
                LOG.info("Released {} pending deliveries for the next start", scheduler.releaseLeases());
            } catch (RuntimeException e) {
                LOG.warn("Could not release leases; they expire on their own: {}", e.getMessage());
            }
        }), true, true);
    }

    /** HikariCP pool on herald.db.url (embedded H2 file by default), migrated by Flyway before any route starts. */
    private static Database database(CamelContext context, Settings s) throws Exception {
        String url = s.text("herald.db.url");
        // The embedded H2 file: created here, repaired after a kill -9, checkpointed on durable commits.
        boolean h2File = url.startsWith("jdbc:h2:file:");
        Path marker = Path.of(s.text("herald.data.dir"), "herald.running");
        if (h2File) {
            Files.createDirectories(marker.getParent());
            dev.herald.store.CrashRepair.closeCleanlyIfKilled(url, s.text("herald.db.user"), s.text("herald.db.password"), marker);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("herald-db");
        config.setJdbcUrl(url);
        config.setUsername(s.text("herald.db.user"));
        config.setPassword(s.text("herald.db.password"));
        config.setMaximumPoolSize(s.integer("herald.db.pool-size"));
        // While the database is away, callers fail fast (a 5xx to the source) instead of hanging.
        config.setConnectionTimeout(s.millis("herald.db.connection-timeout"));
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        if (h2File) {
            dev.herald.store.CrashRepair.onStart(ds, marker);
            // Added before the pool's own stop service, so it stops after it: only a clean stop removes it.
            context.addService(onStop(() -> dev.herald.store.CrashRepair.onCleanStop(marker)), true, true);
        }
        LOG.info("Database ready at {}", url);
        // H2 writes commits to its file in the background every 500 ms: a kill -9 would lose events
        // already acknowledged (CrashRecoveryTest shows it), so durable transactions end in a CHECKPOINT.
        return new Database(ds, h2File);
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

    private static RetryPolicies retryPolicies(CamelContext context, String defaultPolicy) {
        Properties props = context.getPropertiesComponent().loadProperties(k -> k.startsWith(POLICY_PREFIX));
        Map<String, RetrySchedule> tables = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            tables.put(key.substring(POLICY_PREFIX.length()),
                    RetrySchedule.parse(context.resolvePropertyPlaceholders(props.getProperty(key)), key));
        }
        return new RetryPolicies(tables, defaultPolicy);
    }

    static String version() {
        try (InputStream in = Herald.class.getResourceAsStream("/META-INF/herald/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    private static ServiceSupport onStop(Runnable action) {
        return new ServiceSupport() {
            @Override
            protected void doStop() {
                action.run();
            }
        };
    }

    /** Reads herald.* settings through Camel's properties (so -D, env and ./application.properties apply). */
    private record Settings(CamelContext context) {
        String text(String key) {
            return context.getPropertiesComponent().resolveProperty(key).orElse("").trim();
        }

        int integer(String key) {
            return Integer.parseInt(text(key));
        }

        long millis(String key) {
            return RetrySchedule.parseDelay(text(key), key).toMillis();
        }
    }
}
