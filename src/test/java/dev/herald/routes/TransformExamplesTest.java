package dev.herald.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transform examples in examples/routes/, each loaded alone into a plain CamelContext and
 * given an event as Herald hands it over: the envelope it would send, and its headers.
 */
class TransformExamplesTest {

    static final String ENVELOPE = "{\"id\":\"evt_7Hq2\",\"type\":\"order.updated\",\"created_at\":\"2026-03-01T12:00:00Z\","
            + "\"data\":{\"order_id\":\"o-1\",\"total\":12.50,\"note\":\"rush \\\"today\\\"\\nplease\","
            + "\"internal\":{\"margin\":0.3},\"customer\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"},\"lines\":[1,2]}}";
    static final Map<String, Object> HEADERS = Map.of("HeraldEventId", "evt_7Hq2", "HeraldEventType", "order.updated",
            "HeraldWebhookId", "wh_1", "HeraldDeliveryId", "del_1", "HeraldAttempt", 1);

    @Test
    void slackGetsATextNamingTheEventWithItsData() throws Exception {
        Exchange out = transform("examples/routes/slack-transform.yaml", "direct:slack", ENVELOPE);

        assertThat(out.getMessage().getBody(String.class)).isEqualTo("{\"text\":\"*order.updated* (evt_7Hq2)\\n```"
                + "{\\\"order_id\\\":\\\"o-1\\\",\\\"total\\\":12.50,\\\"note\\\":\\\"rush \\\\\\\"today\\\\\\\"\\\\nplease\\\","
                + "\\\"internal\\\":{\\\"margin\\\":0.3},\\\"customer\\\":{\\\"name\\\":\\\"Ada\\\",\\\"email\\\":\\\"ada@example.com\\\"},"
                + "\\\"lines\\\":[1,2]}```\"}");
        assertThat(out.getMessage().getHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void dropFieldsSendsTheEventWithoutTheNamedFields() throws Exception {
        Exchange out = transform("examples/routes/drop-fields-transform.yaml", "direct:drop-fields", ENVELOPE);

        assertThat(out.getMessage().getBody(String.class)).isEqualTo("{\"id\":\"evt_7Hq2\",\"type\":\"order.updated\","
                + "\"created_at\":\"2026-03-01T12:00:00Z\",\"data\":{\"order_id\":\"o-1\",\"total\":12.50,"
                + "\"note\":\"rush \\\"today\\\"\\nplease\",\"customer\":{\"name\":\"Ada\"},\"lines\":[1,2]}}");
        assertThat(out.getMessage().getHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void dropFieldsLeavesAnEventWithoutThoseFieldsAsItWas() throws Exception {
        String plain = "{\"id\":\"evt_8\",\"type\":\"user.created\",\"created_at\":\"2026-03-01T12:00:00Z\",\"data\":{\"id\":\"u-1\"}}";
        Exchange out = transform("examples/routes/drop-fields-transform.yaml", "direct:drop-fields", plain);

        assertThat(out.getMessage().getBody(String.class)).isEqualTo(plain);
    }

    static Exchange transform(String file, String uri, String envelope) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            // The examples use Herald's route configuration for transforms.
            context.addRoutes(new dev.herald.delivery.step.DeliveryRouteConfiguration());
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
            context.start();
            Exchange out = context.createProducerTemplate().request(uri, e -> {
                e.getMessage().setBody(envelope);
                e.getMessage().setHeaders(new java.util.HashMap<>(HEADERS));
            });
            if (out.getException() != null) {
                throw out.getException();
            }
            return out;
        }
    }
}
