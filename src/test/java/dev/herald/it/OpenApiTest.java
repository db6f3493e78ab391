package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.parser.core.models.SwaggerParseResult;

import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.rest.RestEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /v1/openapi.json (kept by hand in src/main/resources/openapi.json) against the running Herald:
 * valid OpenAPI (two standard validators), the same calls as its HTTP routes, well-formed, and the
 * same fields as real answers, so neither can change without the other. What the calls read
 * (parameters, bodies) is held to the code in OpenApiInputsTest.
 */
class OpenApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    static HeraldApp herald;
    static Receiver receiver;
    static JsonNode doc;
    static String served;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
        HttpResponse<String> r = herald.call("GET", "/v1/openapi.json", null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        served = r.body();
        doc = JSON.readTree(served);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void onlyTheDocumentIsServedWithoutAKey() throws Exception {
        assertThat(herald.call("GET", "/v1/openapi.json", null, "wrong-key").statusCode()).isEqualTo(200);
        for (String path : List.of("/v1/webhooks", "/v1/deliveries", "/v1/events", "/v1/openapi.json/x", "/v1/webhooks/openapi.json")) {
            HttpResponse<String> r = herald.call("GET", path, null, null);
            assertThat(r.statusCode()).as(path).isIn(401, 404);
            if (!path.contains("openapi")) {
                assertThat(r.statusCode()).as(path).isEqualTo(401);
            }
        }
        assertThat(herald.call("POST", "/v1/events", "{\"type\":\"a.b\",\"data\":{}}", null).statusCode()).isEqualTo(401);
        assertThat(herald.call("POST", "/v1/openapi.json", "{}", null).statusCode()).isNotEqualTo(200);
    }

    /**
     * Every HTTP route of the running Herald under /v1 (REST DSL and YAML) is in the document, and
     * nothing else. The dashboard's static files (/ui, DashboardTest) are not part of the API.
     */
    @Test
    void documentListsExactlyTheRoutes() {
        Set<String> routes = new TreeSet<>();
        for (Route route : herald.camelContext().getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint e && e.getPath().startsWith("/ui")) {
                assertThat(route.getRouteId()).isEqualTo("ui");
                assertThat(e.getHttpMethodRestrict()).isEqualTo("GET,HEAD");
            } else if (route.getEndpoint() instanceof PlatformHttpEndpoint e) {
                String methods = e.getHttpMethodRestrict();
                assertThat(methods).as("route %s answers every method", route.getRouteId()).isNotBlank();
                for (String m : methods.split(",")) {
                    routes.add(m.trim().toUpperCase(Locale.ROOT) + " " + e.getPath());
                }
            } else if (route.getEndpoint() instanceof RestEndpoint e) {
                String template = e.getUriTemplate() == null ? "" : e.getUriTemplate();
                routes.add(e.getMethod().toUpperCase(Locale.ROOT) + " " + e.getPath() + template);
            }
        }
        assertThat(routes).contains("POST /v1/events", "GET /v1/openapi.json", "PATCH /v1/webhooks/{id}");
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
            }
        }));
        assertThat(documented).isEqualTo(routes);
    }

    /** The document Herald serves passes two standard validators without a single message. */
    @Test
    void documentIsValidOpenApi() throws Exception {
        SwaggerParseResult parsed = OpenApiValidators.swaggerParser(served);
        assertThat(parsed.getMessages()).as("swagger-parser's messages").isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.0.");
        assertThat(OpenApiValidators.jsonSchema(served)).as("errors against the OpenAPI 3.0 JSON Schema").isEmpty();
    }

    @Test
    void documentIsWellFormed() {
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.at("/info/title").isTextual()).isTrue();
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        List<String> problems = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(o -> {
            if (!METHODS.contains(o.getKey())) {
                return;
            }
            String where = o.getKey() + " " + p.getKey();
            JsonNode responses = o.getValue().get("responses");
            if (responses == null || responses.isEmpty()) {
                problems.add(where + ": no responses");
                return;
            }
            boolean success = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> r = it.next();
                int code = Integer.parseInt(r.getKey());
                JsonNode schema = resolve(r.getValue()).at("/content/application~1json/schema");
                success |= code < 300;
                if (code == 204) {
                    continue;
                }
                if (schema.isMissingNode()) {
                    problems.add(where + " " + code + ": no application/json schema");
                } else if (code >= 400 && !"#/components/schemas/Error".equals(schema.path("$ref").asText())) {
                    problems.add(where + " " + code + ": not the Error schema");
                }
            }
            if (!success) {
                problems.add(where + ": no success response");
            }
            // Every call but the document itself answers 401 without a key and 503 while starting.
            for (String code : p.getKey().equals("/v1/openapi.json") ? List.of("503") : List.of("401", "500", "503")) {
                if (!responses.has(code)) {
                    problems.add(where + ": no " + code);
                }
            }
            JsonNode body = o.getValue().get("requestBody");
            if (body != null && (!responses.has("413") || !responses.has("415"))) {
                problems.add(where + ": takes a body but has no 413 or 415");
            }
            if (p.getKey().contains("{id}") && !responses.has("404")) {
                problems.add(where + ": has an id but no 404");
            }
        }));
        // The error shape docs/api.md gives.
        JsonNode error = schema("Error").at("/properties/error/properties");
        assertThat(iterable(error.fieldNames())).containsExactlyInAnyOrder("code", "message", "field");
        assertThat(problems).isEmpty();
    }

    /** Real answers have exactly the fields the document's schemas name. */
    @Test
    void schemasMatchRealAnswers() throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/openapi")
                + "\",\"events\":[\"openapi.checked\"],\"name\":\"n\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode hook = JSON.readTree(created.body());
        String id = hook.get("id").asText();
        sameFields(hook, "Webhook");
        assertThat(iterable(schema("WebhookCreate").get("properties").fieldNames()))
                .as("what create takes is what a webhook shows, but its state")
                .containsExactlyInAnyOrderElementsOf(iterable(schema("Webhook").get("properties").fieldNames()).stream()
                        .filter(f -> !Set.of("id", "application_id", "disabled_reason", "disabled_at", "endpoint_state", "endpoint_failing", "public_key", "ordering_blocked", "created_at", "updated_at").contains(f))
                        .toList());
        sameFields(get("/v1/webhooks?limit=1"), "WebhookList");
        sameFields(get("/v1/webhooks?limit=1").at("/data/0"), "Webhook");

        HttpResponse<String> sent = herald.call("POST", "/v1/events", "{\"type\":\"openapi.checked\",\"data\":{\"x\":1}}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(sent.body());
        sameFields(accepted, "EventAccepted");
        String deliveryId = accepted.at("/deliveries/0").asText();
        String eventId = accepted.get("id").asText();
        HttpResponse<String> batch = herald.call("POST", "/v1/events", "[{\"type\":\"openapi.other\",\"data\":{}}]");
        sameFields(JSON.readTree(batch.body()), "EventsAccepted");

        waitUntil(Duration.ofSeconds(15), () -> {
            try {
                // Done (success), so the retry below is allowed (409 while pending).
                JsonNode d = get("/v1/deliveries/" + deliveryId);
                return d.get("attempts").size() > 0 && !"pending".equals(d.get("status").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode delivery = get("/v1/deliveries/" + deliveryId);
        sameFields(delivery, "DeliveryWithAttempts");
        sameFields(delivery.at("/attempts/0"), "Attempt");
        sameFields(delivery.at("/attempts/0/request"), schema("Attempt").at("/properties/request"));
        sameFields(delivery.at("/attempts/0/response"), schema("Attempt").at("/properties/response/allOf/0"));
        sameFields(get("/v1/webhooks/" + id + "/deliveries"), "DeliveryList");
        sameFields(get("/v1/webhooks/" + id + "/deliveries").at("/deliveries/0"), "Delivery");
        sameFields(get("/v1/deliveries?limit=1"), "DeliveryList");
        sameFields(get("/v1/events?limit=1"), "EventList");
        sameFields(get("/v1/events?limit=1").at("/events/0"), "Event");
        sameFields(get("/v1/events/" + eventId), "EventWithDeliveries");

        sameFields(post("/v1/webhooks/" + id + "/test", null, 202), "TestSent");
        sameFields(post("/v1/webhooks/" + id + "/recover", "{\"since\":\"2020-01-01T00:00:00Z\"}", 202), "Recovered");
        sameFields(post("/v1/webhooks/" + id + "/replay", "{\"since\":\"2020-01-01T00:00:00Z\"}", 202), "Replayed");
        sameFields(post("/v1/webhooks/" + id + "/filter-test", "{\"event\":{\"type\":\"a\",\"data\":{}}}", 200),
                "FilterTestResult");
        sameFields(post("/v1/webhooks/" + id + "/rotate-secret", "{\"grace_period\":\"1h\"}", 200), "SecretRotated");
        sameFields(post("/v1/deliveries/" + deliveryId + "/retry", null, 202), "RetryAccepted");
        sameFields(post("/v1/webhooks/" + id, "{\"name\":\"m\"}", "PATCH", 200), "Webhook");

        sameFields(post("/v1/event-types", "{\"name\":\"openapi.typed\",\"schema\":{\"type\":\"object\"}}", 201), "EventType");
        sameFields(post("/v1/event-types/openapi.typed", "{\"description\":\"d\"}", "PATCH", 200), "EventType");
        sameFields(get("/v1/event-types/openapi.typed"), "EventType");
        sameFields(get("/v1/event-types?limit=1"), "EventTypeList");
        sameFields(get("/v1/event-types?limit=1").at("/data/0"), "EventType");
        JsonNode app = post("/v1/applications", "{\"name\":\"OpenAPI\",\"metadata\":{\"k\":\"v\"}}", 201);
        sameFields(app, "Application");
        sameFields(get("/v1/applications?limit=1"), "ApplicationList");
        sameFields(post("/v1/applications/" + app.get("id").asText(), "{\"uid\":\"openapi-app\"}", "PATCH", 200), "Application");
        sameFields(post("/v1/applications/openapi-app/webhooks", "{\"url\":\"" + receiver.url("/openapi-app")
                + "\",\"events\":[\"openapi.app\"]}", 201), "Webhook");
        sameFields(get("/v1/applications/openapi-app/webhooks"), "WebhookList");

        String keyPair = post("/v1/webhooks", "{\"url\":\"" + receiver.url("/openapi-ed") + "\",\"events\":[\"openapi.ed\"],"
                + "\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}", 201).get("id").asText();
        sameFields(post("/v1/webhooks/" + keyPair + "/rotate-secret", "{}", 200), "SecretRotated");
        JsonNode publicKey = get("/v1/webhooks/" + keyPair + "/public-key");
        sameFields(publicKey, "PublicKey");
        sameFields(publicKey.at("/previous_public_keys/0"), schema("PublicKey").at("/properties/previous_public_keys/items"));

        JsonNode error = post("/v1/webhooks", "{\"url\":\"nope\"}", 400);
        sameFields(error, "Error");
        sameFields(error.get("error"), schema("Error").at("/properties/error"));
        assertThat(herald.call("DELETE", "/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = herald.call("GET", path, null);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode post(String path, String body, int status) throws Exception {
        return post(path, body, "POST", status);
    }

    private static JsonNode post(String path, String body, String method, int status) throws Exception {
        HttpResponse<String> r = herald.call(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " " + r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static JsonNode schema(String name) {
        JsonNode s = doc.at("/components/schemas/" + name);
        assertThat(s.isMissingNode()).as("schema " + name).isFalse();
        return s;
    }

    private static void sameFields(JsonNode actual, String schemaName) {
        assertThat(actual.isObject()).as(schemaName + ": " + actual).isTrue();
        sameFields(actual, schema(schemaName));
    }

    /** The answer's keys are the schema's properties, and every required one is there. */
    private static void sameFields(JsonNode actual, JsonNode schema) {
        assertThat(actual.isObject()).as(actual.toString()).isTrue();
        List<String> keys = iterable(actual.fieldNames());
        assertThat(keys).as("fields of " + actual).containsExactlyInAnyOrderElementsOf(iterable(schema.get("properties").fieldNames()));
        for (JsonNode r : schema.path("required")) {
            assertThat(keys).contains(r.asText());
        }
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
