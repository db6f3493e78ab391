package dev.herald.api;

import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.DispatchQueue;
import dev.herald.delivery.RetryPolicies;
import dev.herald.ingest.IngestService;
import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Beans of the admin API. */
@Configuration
public class ApiConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApiConfiguration.class);

    @BindToRegistry("apiAuth")
    public ApiAuth apiAuth(@PropertyInject(value = "herald.api.keys", defaultValue = "") String keys,
                           @PropertyInject("herald.data.dir") String dataDir) {
        List<String> configured = Arrays.stream(keys.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
        return new ApiAuth(configured.isEmpty() ? List.of(generatedKey(Path.of(dataDir))) : configured);
    }

    @BindToRegistry("apiRespond")
    public ApiRespond apiRespond() {
        return new ApiRespond();
    }

    @BindToRegistry("apiErrors")
    public ApiErrors apiErrors() {
        return new ApiErrors();
    }

    @BindToRegistry("webhookApi")
    public WebhookApi webhookApi(@BeanInject("heraldDatabase") Database db,
                                 @BeanInject("webhookRepository") WebhookRepository webhooks,
                                 @BeanInject("deliveryRepository") DeliveryRepository deliveries,
                                 @BeanInject("retryPolicies") RetryPolicies policies,
                                 @BeanInject("ingestService") IngestService ingest,
                                 @BeanInject("dispatchQueue") DispatchQueue queue,
                                 @PropertyInject("herald.api.page-size") int pageSize) {
        return new WebhookApi(db, webhooks, deliveries, policies, ingest, queue, pageSize);
    }

    @BindToRegistry("deliveryApi")
    public DeliveryApi deliveryApi(@BeanInject("heraldDatabase") Database db,
                                   @BeanInject("deliveryRepository") DeliveryRepository deliveries,
                                   @BeanInject("dispatchQueue") DispatchQueue queue) {
        return new DeliveryApi(db, deliveries, queue);
    }

    /**
     * With no herald.api.keys, a key is generated once and kept in the data directory,
     * so it survives restarts; it is logged only when it is created.
     */
    static String generatedKey(Path dataDir) {
        Path file = dataDir.resolve("api-key");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = "hk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(dataDir);
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            LOG.info("\n\n  No herald.api.keys configured: generated an API key (kept in {}).\n"
                    + "  Use it as:  curl -H 'Authorization: Bearer {}' http://localhost:8080/v1/webhooks\n", file, key);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the generated API key in " + file, e);
        }
    }
}
