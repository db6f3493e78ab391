package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.api.EventTypeApi;
import dev.herald.api.KeyApi;
import dev.herald.api.PortalApi;
import dev.herald.api.ReplayApi;
import dev.herald.api.WebhookApi;
import dev.herald.ingest.EventParser;
import dev.herald.signing.SignatureSpec;
import dev.herald.subscription.WebhookRequest;
import dev.herald.tenancy.ApplicationRequest;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.parameters.Parameter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.herald.it.OpenApiTest.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /v1/openapi.json against what the running Herald's calls read (OpenApiTest holds it to the
 * routes and the answers): the same path and query parameters, the same request bodies and body
 * fields, so that a parameter or a field added to the code without the document fails here.
 */
class OpenApiInputsTest {

    static HeraldApp herald;
    static Receiver receiver;
    static String served;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
        HttpResponse<String> r = herald.call("GET", "/v1/openapi.json", null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        served = r.body();
        doc = JSON.readTree(served);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    /**
     * Each call's path and query parameters in the document are those its code reads (RouteInputs:
     * the @Header parameters of the bean methods its route calls), no more and no fewer.
     */
    @Test
    void parametersAreWhatTheCallsRead() {
        Map<String, String> real = new TreeMap<>();
        RouteInputs.of(herald.camelContext()).forEach((call, in) -> real.put(call, "path " + in.pathParameters()
                + ", query " + in.queryParameters()));
        Map<String, String> documented = new TreeMap<>();
        operations().forEach((call, o) -> {
            Set<String> path = new TreeSet<>();
            Set<String> query = new TreeSet<>();
            for (Parameter p : o.parameters()) {
                assertThat(p.getIn()).as(call + " " + p.getName()).isIn("path", "query");
                (p.getIn().equals("path") ? path : query).add(p.getName());
            }
            documented.put(call, "path " + path + ", query " + query);
        });
        assertThat(real).containsKey("GET /v1/deliveries");
        assertThat(documented).isEqualTo(real);
    }

    /**
     * The calls that read a body are those with a requestBody, and each body's fields (and the
     * signature's) are exactly those the code checks it against. Those lists are the code's own:
     * a field the code reads but does not list is refused, which the calls below show.
     */
    @Test
    void requestBodiesAreWhatTheCallsAccept() throws Exception {
        Map<String, Set<String>> accepted = new TreeMap<>();
        Set<String> webhook = RouteInputs.constant(WebhookRequest.class, "FIELDS");
        Set<String> signature = RouteInputs.constant(SignatureSpec.class, "FIELDS");
        accepted.put("POST /v1/webhooks", webhook);
        accepted.put("POST /v1/webhooks signature", signature);
        accepted.put("PATCH /v1/webhooks/{id}", webhook);
        accepted.put("PATCH /v1/webhooks/{id} signature", signature);
        accepted.put("POST /v1/webhooks/{id}/recover", WebhookApi.RECOVER_FIELDS);
        accepted.put("POST /v1/webhooks/{id}/rotate-secret", WebhookApi.ROTATE_FIELDS);
        accepted.put("POST /v1/webhooks/{id}/replay", ReplayApi.FIELDS);
        accepted.put("POST /v1/webhooks/{id}/filter-test", dev.herald.api.FilterTestApi.FIELDS);
        accepted.put("POST /v1/events", RouteInputs.constant(EventParser.class, "FIELDS"));
        accepted.put("POST /v1/event-types", EventTypeApi.CREATE_FIELDS);
        accepted.put("PATCH /v1/event-types/{name}", EventTypeApi.PATCH_FIELDS);
        accepted.put("POST /v1/applications", ApplicationRequest.FIELDS);
        accepted.put("PATCH /v1/applications/{app}", ApplicationRequest.FIELDS);
        accepted.put("POST /v1/applications/{app}/webhooks", webhook);
        accepted.put("POST /v1/applications/{app}/webhooks signature", signature);
        accepted.put("POST /v1/applications/{app}/portal", PortalApi.FIELDS);
        accepted.put("POST /v1/applications/{app}/events", RouteInputs.constant(EventParser.class, "FIELDS"));
        accepted.put("POST /v1/applications/{app}/keys", KeyApi.FIELDS);

        Set<String> readsBody = new TreeSet<>();
        RouteInputs.of(herald.camelContext()).forEach((call, in) -> {
            if (in.body()) {
                readsBody.add(call);
            }
        });
        Map<String, Set<String>> documented = new TreeMap<>();
        operations().forEach((call, o) -> {
            if (o.body() != null) {
                documented.put(call, properties(o.body()));
                documented.put(call + " signature", properties(o.body().path("properties").path("signature")));
            }
        });
        documented.values().removeIf(Set::isEmpty);
        assertThat(documented.keySet()).as("calls with a requestBody").containsAll(readsBody);
        assertThat(readsBody).as("calls whose code reads a body").containsAll(
                documented.keySet().stream().filter(c -> !c.endsWith(" signature")).toList());
        assertThat(documented).as("documented body fields; a new call with a body needs its fields here").isEqualTo(accepted);

        // The lists are what the calls check: an unknown field is refused naming it; a documented one is not.
        String id = JSON.readTree(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/bodies")
                + "\",\"events\":[\"openapi.bodies\"]}").body()).get("id").asText();
        String app = JSON.readTree(herald.call("POST", "/v1/applications", "{\"name\":\"bodies\"}").body()).get("id").asText();
        for (Map.Entry<String, Operation> call : operations().entrySet()) {
            JsonNode body = call.getValue().body();
            if (body == null) {
                continue;
            }
            String method = call.getKey().substring(0, call.getKey().indexOf(' '));
            String path = call.getKey().substring(method.length() + 1).replace("{id}", id).replace("{app}", app).replace("{name}", "openapi.bodies");
            ObjectNode base = JSON.createObjectNode();
            body.path("required").forEach(r -> base.put(r.asText(), "x"));
            JsonNode refused = JSON.readTree(herald.call(method, path, base.deepCopy().put("zz_undocumented", true).toString()).body());
            assertThat(refused.at("/error/field").asText()).as(call.getKey() + ": " + refused).isEqualTo("zz_undocumented");
            for (String field : properties(body)) {
                HttpResponse<String> r = herald.call(method, path, base.deepCopy().put(field, "x").toString());
                assertThat(r.statusCode() == 400 && field.equals(JSON.readTree(r.body()).at("/error/field").asText())
                        && r.body().contains("unknown field")).as(call.getKey() + " " + field + ": " + r.body()).isFalse();
            }
        }
        assertThat(herald.call("DELETE", "/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);
    }

    /** An application for the calls under /v1/applications/{app}: a row beside Herald (same JVM, same H2 file). */
    private static String application() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + herald.dataDir.resolve("herald")
                + ";DB_CLOSE_ON_EXIT=FALSE", "sa", ""); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("MERGE INTO application (id, uid, name, created_at, updated_at) KEY (id)"
                    + " VALUES ('app_openapi_inputs', 'openapi-inputs', 'OpenAPI inputs', 0, 0)");
        }
        return "openapi-inputs";
    }

    /** A documented call: its parameters (path level and its own) and its JSON body's schema (the object form), or null. */
    record Operation(List<Parameter> parameters, JsonNode body) {
    }

    /** The calls of the document as swagger-parser reads it ("GET /v1/webhooks/{id}"). */
    private static Map<String, Operation> operations() {
        OpenAPI api = OpenApiValidators.swaggerParser(served).getOpenAPI();
        Map<String, Operation> out = new TreeMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, o) -> {
            List<Parameter> parameters = new ArrayList<>();
            Optional.ofNullable(item.getParameters()).ifPresent(parameters::addAll);
            Optional.ofNullable(o.getParameters()).ifPresent(parameters::addAll);
            JsonNode body = null;
            if (o.getRequestBody() != null) {
                String pointer = "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.name().toLowerCase(Locale.ROOT)
                        + "/requestBody/content/application~1json/schema";
                body = resolve(doc.at(pointer));
                for (JsonNode alternative : body.path("oneOf")) {
                    // One event or an array of them: the object form.
                    if (!alternative.has("items")) {
                        body = resolve(alternative);
                    }
                }
            }
            out.put(method.name() + " " + path, new Operation(parameters, body));
        }));
        return out;
    }

    /** The property names of a schema, through $ref and allOf (a nullable object is written allOf [$ref]). */
    private static Set<String> properties(JsonNode schema) {
        JsonNode s = resolve(schema);
        Set<String> out = new TreeSet<>();
        s.path("properties").fieldNames().forEachRemaining(out::add);
        s.path("allOf").forEach(part -> out.addAll(properties(part)));
        return out;
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }
}
