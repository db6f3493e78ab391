package dev.herald.delivery;

import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Beans of the dispatcher, the retry engine and the HTTP client that delivers. */
@Configuration
public class DeliveryConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryConfiguration.class);
    private static final String POLICY_PREFIX = "herald.retry.policies.";

    @BindToRegistry("retryPolicies")
    public RetryPolicies retryPolicies(CamelContext context,
                                       @PropertyInject("herald.retry.default-policy") String defaultPolicy) {
        Properties props = context.getPropertiesComponent().loadProperties(k -> k.startsWith(POLICY_PREFIX));
        Map<String, RetrySchedule> tables = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            String name = key.substring(POLICY_PREFIX.length());
            tables.put(name, RetrySchedule.parse(context.resolvePropertyPlaceholders(props.getProperty(key)), key));
        }
        return new RetryPolicies(tables, defaultPolicy);
    }

    @BindToRegistry("leases")
    public Leases leases() {
        return new Leases();
    }

    @BindToRegistry("deliveryRepository")
    public DeliveryRepository deliveryRepository() {
        return new DeliveryRepository();
    }

    @BindToRegistry("dispatchQueue")
    public DispatchQueue dispatchQueue(CamelContext context, @BeanInject("leases") Leases leases,
                                       @PropertyInject("herald.delivery.queue-size") int size,
                                       @PropertyInject("herald.delivery.lease") String lease) {
        return new DispatchQueue(context, size, millis(lease, "herald.delivery.lease"), leases);
    }

    @BindToRegistry("dispatcher")
    public Dispatcher dispatcher(@BeanInject("heraldDatabase") Database db,
                                 @BeanInject("deliveryRepository") DeliveryRepository deliveries,
                                 @BeanInject("webhookRepository") WebhookRepository webhooks,
                                 @BeanInject("retryPolicies") RetryPolicies policies,
                                 @PropertyInject("herald.delivery.timeout") String timeout,
                                 @PropertyInject("herald.delivery.max-response-bytes") int maxResponseBytes,
                                 @PropertyInject("herald.retry.in-memory-max") String inMemoryMax,
                                 @PropertyInject("herald.retry.in-memory-limit") int inMemoryLimit) {
        return new Dispatcher(db, deliveries, webhooks, policies, millis(timeout, "herald.delivery.timeout"),
                maxResponseBytes, millis(inMemoryMax, "herald.retry.in-memory-max"), inMemoryLimit,
                "Herald/" + version());
    }

    @BindToRegistry("scheduler")
    public Scheduler scheduler(CamelContext context, @BeanInject("heraldDatabase") Database db,
                               @BeanInject("deliveryRepository") DeliveryRepository deliveries,
                               @BeanInject("dispatchQueue") DispatchQueue queue) throws Exception {
        Scheduler scheduler = new Scheduler(db, deliveries, queue, 500);
        // Runs after the routes stopped (services stop in reverse order of adding).
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                try {
                    int n = scheduler.releaseLeases();
                    LOG.info("Released {} pending deliveries for the next start", n);
                } catch (RuntimeException e) {
                    LOG.warn("Could not release leases; they expire on their own: {}", e.getMessage());
                }
            }
        }, true, true);
        return scheduler;
    }

    /** The "http" component used by the dispatcher: timeouts from herald.delivery.timeout, pool per receiver. */
    @BindToRegistry("http")
    public HttpComponent http(@PropertyInject("herald.delivery.timeout") String timeout,
                              @PropertyInject("herald.delivery.concurrency") int concurrency) {
        long t = millis(timeout, "herald.delivery.timeout");
        HttpComponent http = new HttpComponent();
        http.setConnectTimeout(t);
        http.setConnectionRequestTimeout(t);
        http.setResponseTimeout(t);
        http.setSoTimeout(t);
        http.setMaxTotalConnections(Math.max(200, concurrency * 4));
        http.setConnectionsPerRoute(concurrency);
        return http;
    }

    static long millis(String value, String key) {
        return RetrySchedule.parseDelay(value, key).toMillis();
    }

    static String version() {
        try (InputStream in = DeliveryConfiguration.class.getResourceAsStream("/META-INF/herald/version.properties")) {
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
