package dev.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's one-line errors and request building, without a Herald. */
class ApiClientTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void errorLinesComeFromTheApisErrorJson() throws Exception {
        assertThat(ApiClient.errorLine(404, JSON.readTree(
                "{\"error\":{\"code\":\"not_found\",\"message\":\"webhook hook_x does not exist\",\"field\":null}}"),
                "webhook hook_x", "http://h")).isEqualTo("webhook hook_x not found");
        assertThat(ApiClient.errorLine(400, JSON.readTree(
                "{\"error\":{\"code\":\"invalid_request\",\"message\":\"must be an http(s) URL\",\"field\":\"url\"}}"),
                null, "http://h")).isEqualTo("must be an http(s) URL (field url)");
        assertThat(ApiClient.errorLine(502, JSON.getNodeFactory().textNode("<html>bad gateway</html>"), null, "http://h"))
                .isEqualTo("http://h answered HTTP 502 without Herald's error JSON (is it Herald's API?)");
    }

    @Test
    void queriesAndPathsAreEncoded() {
        assertThat(ApiClient.query("status", "failed", "limit", null, "cursor", "a b&c")).isEqualTo("?status=failed&cursor=a+b%26c");
        assertThat(ApiClient.query("limit", null)).isEmpty();
        assertThat(ApiClient.segment("hook_1/../x?y")).isEqualTo("hook_1%2F..%2Fx%3Fy");
    }

    @Test
    void anUnknownHostAndAGroupWithoutCommandAreOneLineErrors() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeraldCli.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute("deliveries", "get", "del_1", "--server", "http://nohost.invalid:1", "--api-key", "secret-key-1");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("cannot reach Herald at http://nohost.invalid:1: unknown host nohost.invalid");
        assertThat(out.toString()).isEmpty();

        StringWriter err2 = new StringWriter();
        assertThat(HeraldCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err2)).execute("webhooks"))
                .isEqualTo(2);
        assertThat(err2.toString()).startsWith("Missing required subcommand");
    }

    @Test
    void aBadAddressIsOneLineSayingWhereItCameFrom() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeraldCli.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute("webhooks", "list", "--server", "127.0.0.1:8080", "--api-key", "secret-key-1");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).isEqualTo("invalid Herald address 127.0.0.1:8080 (from --server): give an http(s) URL such as "
                        + "http://127.0.0.1:8080" + System.lineSeparator())
                .doesNotContain("secret-key-1");
        assertThat(out.toString()).isEmpty();
    }
}
