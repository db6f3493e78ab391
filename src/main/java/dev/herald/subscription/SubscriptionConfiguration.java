package dev.herald.subscription;

import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;

/** Beans of the webhook subscriptions. */
@Configuration
public class SubscriptionConfiguration {

    @BindToRegistry("webhookRepository")
    public WebhookRepository webhookRepository() {
        return new WebhookRepository();
    }
}
