package dev.herald;

import dev.herald.api.ApiKeys;
import dev.herald.api.ServerAddresses;
import dev.herald.catalog.Catalog;
import dev.herald.catalog.EventTypeRepository;
import dev.herald.ingest.IngestService;
import dev.herald.lifecycle.LifecycleSteps;
import dev.herald.store.DataDirectory;
import dev.herald.store.DataDirectoryLock;
import dev.herald.store.Database;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.RetrySchedule;
import dev.herald.subscription.StoredSecrets;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Wires Herald's beans from the herald.* settings, one concern after the other, in dependency
 * order. One {@code @Configuration} calling the others, not one per concern: Camel 4.18 runs
 * scanned configuration classes in no defined order (and their {@code @BindToRegistry} methods
 * twice), so a second class would find the database or the queue missing.
 */
@Configuration
public class HeraldConfiguration implements CamelConfiguration {

    private static final String POLICY_PREFIX = "herald.retry.policies.";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings s = new Settings(context);
        // Routes take herald.* durations where an endpoint wants milliseconds: {{millis:herald.retention.interval}}.
        context.getPropertiesComponent().addPropertiesFunction(new MillisFunction(s));
        RenamedSettings.check(s);
        Path dataDir = DataDirectory.ensure(Path.of(s.text("herald.data.dir")));
        // Before anything in the directory is touched (a second Herald must not take the first one's
        // herald.running for a crash); released last, after the database closed.
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        s.onStop(lock::close);
        try {
            wire(context, s, dataDir);
        } catch (Exception | Error e) {
            s.undo(e);
            throw e;
        }
    }

    private static void wire(CamelContext context, Settings s, Path dataDir) throws Exception {
        // Before anything opens: an empty or unreadable key file, a malformed secrets key stop the start here.
        List<String> apiKeys = ApiKeys.resolve(s.text("herald.api.keys"), dataDir);
        ServerAddresses.install(context, Boolean.parseBoolean(s.text("herald.ui.enabled")),
                ApiKeys.generatedKeyFile(s.text("herald.api.keys"), dataDir));
        StoredSecrets secrets = StoredSecrets.fromSetting(s.text("herald.secrets.key"));

        Database db = StoreWiring.database(s, secrets::openAllAndSeal);
        RetryPolicies policies = retryPolicies(context, s.text("herald.retry.default-policy"));
        WebhookRepository webhooks = new WebhookRepository(secrets);
        DeliveryWiring delivery = new DeliveryWiring(context, s, db, webhooks, policies, "Herald/" + version());
        LifecycleSteps lifecycle = LifecycleSteps.create(context, db, webhooks, delivery.breaker,
                s.millis("herald.webhook.disable-after"));
        MetricsWiring metrics = new MetricsWiring(context, s, db, delivery.queue);
        delivery.steps.bind(context.getRegistry(), metrics.measureAttempt, lifecycle.watchEndpoint(),
                lifecycle.watchWebhook(), lifecycle.reportExhausted());
        // The event-type catalog (docs/api.md "Event-type catalog"): checked by every source and by webhook patterns.
        Catalog catalog = new Catalog(db, new EventTypeRepository(), Boolean.parseBoolean(s.text("herald.event-types.strict")),
                s.millis("herald.event-types.refresh"));
        IngestService ingest = SourceWiring.wire(context, s, db, webhooks, delivery, metrics.countIngested, catalog);
        ApiWiring.wire(context, s, apiKeys, db, webhooks, policies, delivery, ingest, metrics, catalog);
        RetentionWiring.wire(context, s, db);
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
}
