package dev.herald.ingest;

import dev.herald.delivery.DeliveryRepository;
import dev.herald.delivery.DispatchQueue;
import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/** Beans of the ingest path shared by every source. */
@Configuration
public class IngestConfiguration {

    @BindToRegistry("ingestService")
    public IngestService ingestService(@BeanInject("heraldDatabase") Database db,
                                       @BeanInject("webhookRepository") WebhookRepository webhooks,
                                       @BeanInject("deliveryRepository") DeliveryRepository deliveries,
                                       @BeanInject("dispatchQueue") DispatchQueue queue,
                                       @PropertyInject("herald.ingest.max-bytes") int maxBytes,
                                       @PropertyInject("herald.ingest.max-batch") int maxBatch) {
        return new IngestService(db, new EventParser(maxBytes, maxBatch), webhooks, deliveries, queue);
    }
}
