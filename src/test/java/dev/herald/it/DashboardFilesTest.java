package dev.herald.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's static files over plain HTTP (no browser): only the packaged files are served,
 * with the security headers and without a key; every other path under /ui is the API's JSON 404.
 */
class DashboardFilesTest {

    static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        herald = new HeraldApp(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    /** The static file guard, over plain HTTP: only packaged files, with the security headers, no key needed. */
    @Test
    void onlyPackagedFilesAreServedWithTheirHeaders() throws Exception {
        HttpResponse<String> index = herald.call("GET", "/ui/", null, null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe"));
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(index.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(index.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"));
        assertThat(index.body()).contains("<html lang=\"en\">");
        assertThat(herald.call("GET", "/ui", null, null).body()).isEqualTo(index.body());
        assertThat(herald.call("GET", "/ui/app.js", null, null).headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(herald.call("GET", "/ui/pages/webhook.js", null, null).statusCode()).isEqualTo(200);
        assertThat(herald.call("GET", "/ui/app.css", null, null).headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");

        for (String path : new String[] {"/ui/../openapi.json", "/ui/../application.properties", "/ui/%2e%2e/application.properties",
                "/ui/..%2fapplication.properties", "/ui/%2e%2e%2fapplication.properties", "/ui/..%5capplication.properties",
                "/ui/pages/../app.js", "/ui/nope.js", "/ui//app.js", "/uiapp.js", "/ui/index.html%00", "/ui/pages",
                "/ui/pages/", "/ui/../dev/herald/Herald.class", "/ui/%2e%2e/%2e%2e/etc/passwd"}) {
            HttpResponse<String> r = herald.call("GET", path, null, null);
            ApiCalls.assertError(r, 404, null);
            assertThat(r.body()).as(path).doesNotContain("herald.").doesNotContain("root:");
        }
        // The dashboard takes GET and HEAD only (HttpMethodsTest).
        ApiCalls.assertError(herald.call("POST", "/ui/", "{}", null), 405, null);
    }
}
