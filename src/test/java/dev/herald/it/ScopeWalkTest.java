package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.herald.it.ApiCalls.JSON;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scope walk of issue 27: EVERY call of the running Herald's API (its routes, read through
 * RouteInputs, so a call added later is walked too, or fails here until it is classified) made with
 * application A's key against application B's ids and the operator's own: each answers 404 (or
 * 401) exactly as a made-up id of the same shape does, so a foreign id cannot be told from a missing
 * one; the operator's calls (all of /v1/applications but A's own webhooks and events) answer 404 to
 * it; A's lists show none of B's or the operator's rows.
 * The walk with ids runs last: where a scope fails to stop a call, that call changes B's rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScopeWalkTest {

    /** Calls without an id that an application key may make; every other such call is the operator's. */
    private static final Set<String> LISTS = Set.of("GET /v1/webhooks", "GET /v1/deliveries", "GET /v1/events",
            "GET /v1/event-types", "GET /v1/session"); // session: whom the key speaks for (the portal's first call)
    private static final Set<String> OWN_WRITES = Set.of("POST /v1/webhooks", "POST /v1/events");
    private static final Set<String> PUBLIC = Set.of("GET /v1/openapi.json");
    /** The calls under /v1/applications an application's key may make for its own application (not the operator's). */
    private static final Set<String> OWN_APPLICATION = Set.of("/v1/applications/{app}/webhooks", "/v1/applications/{app}/events");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
    /** Request bodies that pass validation, so that only the scope can refuse the call; others get {}. */
    private static final Map<String, String> BODIES = Map.of(
            "PATCH /v1/webhooks/{id}", "{\"name\":\"walked\"}",
            "POST /v1/webhooks/{id}/recover", "{\"since\":\"2020-01-01T00:00:00Z\"}",
            "POST /v1/webhooks/{id}/replay", "{\"since\":\"2020-01-01T00:00:00Z\"}",
            "POST /v1/webhooks/{id}/filter-test", "{\"event\":{\"type\":\"walk.a\",\"data\":{}}}",
            "POST /v1/applications/{app}/events", "{\"type\":\"walk.a\",\"data\":{}}",
            "POST /v1/applications/{app}/webhooks", "{\"url\":\"http://127.0.0.1:9/walk\",\"events\":[\"walk.a\"]}",
            "PATCH /v1/applications/{app}", "{\"name\":\"walked\"}",
            "PATCH /v1/event-types/{name}", "{\"description\":\"walked\"}");

    static HeraldApp herald;
    static Receiver receiver;
    static String dbUrl;
    static Map<String, RouteInputs.Call> calls;
    static String appA;
    static String appB;
    static String keyA;
    static String keyIdA;
    static String keyIdB;
    static String hookB;
    static String eventB;
    static String deliveryB;
    static String hookO;
    static String eventO;
    static String deliveryO;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
        dbUrl = "jdbc:h2:file:" + herald.dataDir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE";
        calls = RouteInputs.of(herald.camelContext());
        appA = application("walk-a");
        appB = application("walk-b");
        JsonNode a = ok(herald.call("POST", "/v1/applications/walk-a/keys", "{\"name\":\"walker\"}"), 201);
        keyA = a.get("key").asText();
        keyIdA = a.get("id").asText();
        keyIdB = ok(herald.call("POST", "/v1/applications/walk-b/keys", "{}"), 201).get("id").asText();

        // The operator's own webhook, event and delivery.
        hookO = ok(herald.call("POST", "/v1/webhooks", hook("/operator", "walk.operator")), 201).get("id").asText();
        JsonNode o = ok(herald.call("POST", "/v1/events", "{\"type\":\"walk.operator\",\"data\":{}}"), 202);
        eventO = o.get("id").asText();
        deliveryO = o.at("/deliveries/0").asText();

        // B's: through the applications' own calls where this build has them, else made as the
        // operator's and moved to B in the database (before the calls for B existed).
        if (calls.containsKey("POST /v1/applications/{app}/webhooks")) {
            hookB = ok(herald.call("POST", "/v1/applications/walk-b/webhooks", hook("/b", "walk.b")), 201).get("id").asText();
        } else {
            hookB = ok(herald.call("POST", "/v1/webhooks", hook("/b", "walk.b")), 201).get("id").asText();
            update("UPDATE webhook SET application_id = ? WHERE id = ?", appB, hookB);
        }
        if (calls.containsKey("POST /v1/applications/{app}/events")) {
            JsonNode b = ok(herald.call("POST", "/v1/applications/walk-b/events", "{\"type\":\"walk.b\",\"data\":{}}"), 202);
            eventB = b.get("id").asText();
            deliveryB = b.at("/deliveries/0").asText();
        } else {
            JsonNode b = ok(herald.call("POST", "/v1/events", "{\"type\":\"walk.b\",\"data\":{}}"), 202);
            eventB = b.get("id").asText();
            deliveryB = b.at("/deliveries/0").asText();
            update("UPDATE event SET application_id = ? WHERE id = ?", appB, eventB);
            update("UPDATE delivery SET application_id = ? WHERE id = ?", appB, deliveryB);
        }
        assertThat(deliveryB).startsWith("del_");
        assertThat(deliveryO).startsWith("del_");
        // Both delivered, so a retry is allowed to the operator (409 while pending would hide the scope).
        waitUntil(Duration.ofSeconds(15), () -> receiver.to("/b").size() == 1 && receiver.to("/operator").size() == 1);
        // The ids are real: the operator reads every one of them.
        for (String path : List.of("/v1/webhooks/" + hookB, "/v1/webhooks/" + hookO, "/v1/deliveries/" + deliveryB,
                "/v1/deliveries/" + deliveryO, "/v1/events/" + eventB + "?application=walk-b", "/v1/events/" + eventO)) {
            ok(herald.call("GET", path, null), 200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    /**
     * The operator's calls (those with no id that are not a list or A's own write, and
     * /v1/applications but OWN_APPLICATION): 404, word for word as a path nothing serves.
     */
    @Test
    @Order(1)
    void theOperatorsCallsAnswer404ToAnApplicationKey() throws Exception {
        List<String> wrong = new ArrayList<>();
        int walked = 0;
        for (String call : ordered()) {
            String method = call.substring(0, call.indexOf(' '));
            String template = call.substring(method.length() + 1);
            boolean operators = template.startsWith("/v1/applications") && !OWN_APPLICATION.contains(template)
                    || calls.get(call).pathParameters().isEmpty() && !LISTS.contains(call) && !OWN_WRITES.contains(call)
                    && !PUBLIC.contains(call);
            if (!operators) {
                continue;
            }
            for (Map<String, String> values : substitutions(template)) {
                String path = WalkAnswers.fill(template, values);
                HttpResponse<String> r = herald.call(method, path, body(call), keyA);
                HttpResponse<String> nothing = herald.call(method, "/v1/no-such-call", body(call), keyA);
                walked++;
                if (r.statusCode() != 404 || !"not_found".equals(WalkAnswers.code(r)) || !r.body().equals(nothing.body())) {
                    wrong.add(method + " " + path + " -> " + r.statusCode() + " " + r.body() + "; a path nothing serves: "
                            + nothing.body());
                }
            }
        }
        System.out.printf("scope walk: %d calls of the operator's%n", walked);
        assertThat(walked).as("calls walked").isGreaterThanOrEqualTo(5);
        assertThat(wrong).as("operator's calls that answered an application key").isEmpty();
        // The key itself still works: the 404s above are the scope, not a refused key.
        assertThat(herald.call("GET", "/v1/webhooks", null, keyA).statusCode()).isEqualTo(200);
    }

    /**
     * Every call with an id in its path, with each of B's ids and the operator's own: 404 or 401,
     * with the same code and message as for a made-up id of the same shape.
     */
    @Test
    @Order(4)
    void foreignIdsAnswerExactlyAsMissingOnes() throws Exception {
        List<String> wrong = new ArrayList<>();
        int walked = 0;
        for (String call : ordered()) {
            String method = call.substring(0, call.indexOf(' '));
            String template = call.substring(method.length() + 1);
            if (calls.get(call).pathParameters().isEmpty()
                    || method.equals("GET") && template.startsWith("/v1/event-types")) { // the catalog is everyone's to read
                continue;
            }
            String body = body(call);
            // Where the call also takes ?application=, naming B (or A's own) there too.
            List<String> forms = calls.get(call).queryParameters().contains("application")
                    ? List.of(template, template + "?application={application}") : List.of(template);
            for (Map<String, String> values : forms.stream().flatMap(f -> substitutions(f).stream()).toList()) {
                Map<String, String> ghosts = new LinkedHashMap<>();
                values.forEach((k, v) -> ghosts.put(k, WalkAnswers.ghost(k, v)));
                String form = values.containsKey("application") ? template + "?application={application}" : template;
                HttpResponse<String> foreign = herald.call(method, WalkAnswers.fill(form, values), body, keyA);
                HttpResponse<String> missing = herald.call(method, WalkAnswers.fill(form, ghosts), body, keyA);
                walked++;
                String seen = method + " " + WalkAnswers.fill(form, values) + " -> " + foreign.statusCode() + " " + foreign.body();
                if (foreign.statusCode() != 404 && foreign.statusCode() != 401) {
                    wrong.add(seen);
                } else if (foreign.statusCode() != missing.statusCode() || !WalkAnswers.code(foreign).equals(WalkAnswers.code(missing))
                        || !WalkAnswers.message(foreign, values, ghosts).equals(WalkAnswers.message(missing, Map.of(), Map.of()))) {
                    wrong.add(seen + " but for a missing id " + missing.statusCode() + " " + missing.body());
                }
            }
        }
        System.out.printf("scope walk: %d calls with a foreign id, over %d routes%n", walked, calls.size());
        assertThat(walked).as("calls walked").isGreaterThanOrEqualTo(30);
        assertThat(wrong).as("calls that answered A's key about an id not A's").isEmpty();
    }

    /** A's lists, also filtered by B's ids, show none of B's rows nor the operator's. */
    @Test
    @Order(2)
    void listsShowNoneOfAnotherApplicationsRows() throws Exception {
        List<String> foreign = List.of(hookB, eventB, deliveryB, hookO, eventO, deliveryO, appB, keyIdB);
        List<String> wrong = new ArrayList<>();
        for (String call : LISTS) {
            if (!calls.containsKey(call)) {
                continue;
            }
            String path = call.substring(4);
            List<String> queries = new ArrayList<>(List.of(""));
            Set<String> query = calls.get(call).queryParameters();
            for (String p : List.of("application", "webhook_id", "event_id")) {
                if (query.contains(p)) {
                    for (String v : p.equals("application") ? List.of(appB, "walk-b") : List.of(hookB, eventB, hookO, eventO)) {
                        queries.add("&" + p + "=" + v);
                    }
                }
            }
            for (String q : queries) {
                HttpResponse<String> r = herald.call("GET", path + "?limit=250" + q, null, keyA);
                if (r.statusCode() == 200) {
                    foreign.stream().filter(r.body()::contains).forEach(id -> wrong.add("GET " + path + "?limit=250" + q + " shows " + id));
                } else if (q.isEmpty() || r.statusCode() != 404) {
                    wrong.add("GET " + path + "?limit=250" + q + " -> " + r.statusCode() + " " + r.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** What A writes is A's; an event naming B is 404 to it. */
    @Test
    @Order(3)
    void writesAreTheApplicationsOwnAndNamingAnotherIs404() throws Exception {
        String hook = ok(herald.call("POST", "/v1/webhooks", hook("/a", "walk.a"), keyA), 201).get("id").asText();
        String event = ok(herald.call("POST", "/v1/events", "{\"type\":\"walk.a\",\"data\":{}}", keyA), 202).get("id").asText();
        assertThat(ok(herald.call("GET", "/v1/webhooks/" + hook, null, keyA), 200).path("application_id").asText()).isEqualTo(appA);
        assertThat(ok(herald.call("GET", "/v1/events/" + event, null, keyA), 200).path("application_id").asText()).isEqualTo(appA);
        // The operator sees them as A's.
        assertThat(ok(herald.call("GET", "/v1/webhooks/" + hook, null), 200).path("application_id").asText()).isEqualTo(appA);
        for (String other : List.of(appB, "walk-b")) {
            HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"walk.b\",\"application\":\"" + other
                    + "\",\"data\":{}}", keyA);
            ApiCalls.assertError(r, 404, "application");
        }
        assertThat(receiver.to("/b")).as("B's receiver got only B's own event").hasSize(1);
    }

    /** The calls, reads first and deletions last, so a call the scope failed to stop spoils as few of the others as can be. */
    private static List<String> ordered() {
        Map<String, Integer> rank = Map.of("GET", 0, "POST", 1, "PUT", 1, "PATCH", 1, "DELETE", 2);
        return calls.keySet().stream().sorted(Comparator.comparing((String c) -> rank.getOrDefault(c.substring(0, c.indexOf(' ')), 1))
                .thenComparing(Comparator.naturalOrder())).toList();
    }

    /** The foreign values each of the template's variables is walked with (every combination). */
    private static List<Map<String, String>> substitutions(String template) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Matcher m = VARIABLE.matcher(template); m.find(); ) {
            String name = m.group(1);
            List<String> values = switch (name) {
                case "id" -> template.startsWith("/v1/webhooks/") ? List.of(hookB, hookO)
                        : template.startsWith("/v1/deliveries/") ? List.of(deliveryB, deliveryO)
                        : template.startsWith("/v1/events/") ? List.of(eventB, eventO)
                        : List.of();
                // A's own too where the call is the operator's (all but OWN_APPLICATION).
                case "app" -> OWN_APPLICATION.contains(template) ? List.of(appB, "walk-b") : List.of(appB, "walk-b", appA);
                case "key_id" -> List.of(keyIdB, keyIdA);
                case "application" -> List.of(appB, "walk-b");
                case "name" -> List.of("walk.b");
                default -> List.of();
            };
            assertThat(values).as("no foreign value for {%s} of %s: say in ScopeWalkTest what it names", name, template).isNotEmpty();
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : values) {
                    Map<String, String> m2 = new LinkedHashMap<>(partial);
                    m2.put(name, v);
                    next.add(m2);
                }
            }
            out = next;
        }
        return out;
    }

    /** A body for the calls that take one (BODIES, else {}), none for reads and deletions. */
    private static String body(String call) {
        return call.startsWith("GET ") || call.startsWith("DELETE ") ? null : BODIES.getOrDefault(call, "{}");
    }

    private static String hook(String path, String type) {
        return "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"" + type + "\"],\"retry_schedule\":[\"0s\"]}";
    }

    private static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    /** An application row (the applications API is another part of issue 27; its test makes them through it). */
    private static String application(String uid) throws Exception {
        if (calls.containsKey("POST /v1/applications")) {
            return ok(herald.call("POST", "/v1/applications", "{\"uid\":\"" + uid + "\",\"name\":\"" + uid + "\"}"), 201)
                    .get("id").asText();
        }
        String id = "app_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 22).toUpperCase();
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(dbUrl, "sa", "");
             PreparedStatement ps = c.prepareStatement("INSERT INTO application (id, uid, name, created_at, updated_at)"
                     + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, uid);
            ps.setString(3, uid);
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.executeUpdate();
        }
        return id;
    }

    private static void update(String sql, String a, String b) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl, "sa", ""); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            assertThat(ps.executeUpdate()).as(sql + " " + b).isEqualTo(1);
        }
    }
}
