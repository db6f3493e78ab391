package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP semantics of the API server: a method a path does not take is 405 with {@code Allow} (the
 * methods the running routes take there) and the JSON error shape; a path nothing serves stays
 * 404; HEAD on the dashboard's files answers as GET without the body.
 */
class HttpMethodsTest {

    static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        herald = new HeraldApp(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    @Test
    void aMethodThePathDoesNotTakeIs405WithAllow() throws Exception {
        notAllowed("DELETE", "/v1/events", "GET, POST");
        notAllowed("PUT", "/v1/webhooks", "GET, POST");
        notAllowed("POST", "/v1/webhooks/hook_x", "GET, PATCH, DELETE");
        notAllowed("PUT", "/v1/webhooks/hook_x/", "GET, PATCH, DELETE");
        notAllowed("GET", "/v1/webhooks/hook_x/rotate-secret", "POST");
        notAllowed("DELETE", "/v1/deliveries/del_x", "GET");
        notAllowed("HEAD", "/v1/stats/deliveries", "GET");
        notAllowed("POST", "/v1/openapi.json", "GET");
        notAllowed("POST", "/ui/", "GET, HEAD");
        notAllowed("DELETE", "/ui/app.js", "GET, HEAD");
        // The method is refused before the key is asked for, as a path nothing serves is.
        HttpResponse<String> noKey = herald.call("PUT", "/v1/webhooks", "{}", null);
        assertThat(noKey.statusCode()).isEqualTo(405);
        assertThat(noKey.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    /** For every path the OpenAPI document lists, another method gets 405 naming exactly its documented methods. */
    @Test
    void allowIsWhatTheDocumentGivesForEachPath() throws Exception {
        JsonNode paths = ApiCalls.json(herald.call("GET", "/v1/openapi.json", null, null)).get("paths");
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            List<String> documented = new ArrayList<>();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (ORDER.contains(m.toUpperCase(Locale.ROOT))) {
                    documented.add(m.toUpperCase(Locale.ROOT));
                }
            });
            documented.sort((a, b) -> Integer.compare(ORDER.indexOf(a), ORDER.indexOf(b)));
            String concrete = path.getKey().replaceAll("\\{[a-z_]+}", "x_1");
            String other = ORDER.stream().filter(m -> !documented.contains(m) && !m.equals("HEAD")).findFirst().orElseThrow();
            notAllowed(other, concrete, String.join(", ", documented));
            checked.add(other + " " + concrete);
        }
        assertThat(checked).hasSizeGreaterThan(10);
    }

    @Test
    void aPathNothingServesStays404() throws Exception {
        for (String[] c : new String[][] {{"GET", "/v1/nope"}, {"DELETE", "/v1/nope"}, {"POST", "/nope"}, {"PUT", "/v2/webhooks"},
                {"GET", "/v1/webhooks/a/b/c"}, {"DELETE", "/v1/webhooks/a/test/x"}, {"POST", "/uix"}, {"GET", "/"}, {"HEAD", "/v1"}}) {
            if (c[0].equals("HEAD")) {
                Raw head = Raw.send(herald.port, c[0], c[1]);
                assertThat(head.status()).as(c[0] + " " + c[1]).isEqualTo(404);
                assertThat(head.header("allow")).as(c[0] + " " + c[1]).isNull();
                continue;
            }
            HttpResponse<String> r = herald.call(c[0], c[1], null);
            assertThat(r.headers().firstValue("Allow")).as(c[0] + " " + c[1]).isEmpty();
            ApiCalls.assertError(r, 404, null);
            assertThat(ApiCalls.json(r).at("/error/code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void headOnTheDashboardAnswersAsGetWithoutTheBody() throws Exception {
        for (String path : List.of("/ui/", "/ui", "/ui/app.js", "/ui/app.css")) {
            Raw get = Raw.send(herald.port, "GET", path);
            Raw head = Raw.send(herald.port, "HEAD", path);
            assertThat(get.status()).as(path).isEqualTo(200);
            assertThat(head.status()).as("HEAD " + path).isEqualTo(200);
            assertThat(head.body()).as("HEAD " + path).isEmpty();
            assertThat(head.header("content-type")).as(path).isEqualTo(get.header("content-type")).isNotNull();
            assertThat(head.header("content-length")).as(path).isEqualTo(Integer.toString(get.body().length));
            assertThat(head.header("content-security-policy")).as(path).isEqualTo(get.header("content-security-policy"));
        }
        Raw missing = Raw.send(herald.port, "HEAD", "/ui/nope.js");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
    }

    /**
     * One request on its own connection, read to its end. Java 17's HttpClient cannot be used
     * for HEAD: it reads a body after a HEAD answer that gives a Content-Length.
     */
    record Raw(int status, Map<String, String> headers, byte[] body) {

        static Raw send(int port, String method, String path) throws Exception {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] all = s.getInputStream().readAllBytes();
                String text = new String(all, StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                String[] lines = text.substring(0, end).split("\r\n");
                Map<String, String> headers = new HashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
                return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, Arrays.copyOfRange(all, end + 4, all.length));
            }
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    private static void notAllowed(String method, String path, String allow) throws Exception {
        if (method.equals("HEAD")) {
            Raw head = Raw.send(herald.port, method, path);
            assertThat(head.status()).as(method + " " + path).isEqualTo(405);
            assertThat(head.header("allow")).as(method + " " + path).isEqualTo(allow);
            assertThat(head.body()).as(method + " " + path).isEmpty();
            return;
        }
        HttpResponse<String> r = herald.call(method, path, method.equals("GET") ? null : "{}");
        String what = method + " " + path + ": " + r.body();
        assertThat(r.statusCode()).as(what).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).as(what).hasValue(allow);
        assertThat(r.headers().firstValue("Content-Type")).as(what).hasValue("application/json");
        JsonNode error = ApiCalls.json(r).get("error");
        assertThat(error.get("code").asText()).as(what).isEqualTo("method_not_allowed");
        assertThat(error.get("message").asText()).as(what).contains(allow).doesNotContain("Exception");
        assertThat(error.get("field").isNull()).as(what).isTrue();
        assertThat(Set.of(r.headers().map().keySet().toArray(new String[0]))).noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("camel"));
    }
}
