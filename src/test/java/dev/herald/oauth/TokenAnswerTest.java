package dev.herald.oauth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token server's answers, good and bad, as the delivery log would say them. */
class TokenAnswerTest {

    private static final ClientCredentials C = new ClientCredentials("https://auth.example:8443/oauth/token?key=k1",
            "herald", "s3cret-value", null, null, ClientCredentials.Method.CLIENT_SECRET_BASIC);

    @Test
    void aBearerTokenWithItsLifetime() throws TokenFailure {
        BearerToken t = read(200, "{\"access_token\":\"abc.def-1\",\"token_type\":\"Bearer\",\"expires_in\":2}");
        assertThat(t.value()).isEqualTo("abc.def-1");
        assertThat(t.refreshAt()).isEqualTo(1_800_000_000L);
        assertThat(t.header()).isEqualTo("Bearer abc.def-1");
        // token_type in any case, expires_in as a string, or none: the default.
        assertThat(read(200, "{\"access_token\":\"x\",\"token_type\":\"bearer\",\"expires_in\":\"60\"}").refreshAt())
                .isEqualTo(54_000_000_000L);
        assertThat(read(200, "{\"access_token\":\"x\"}").refreshAt()).isEqualTo(270_000_000_000L);
    }

    @Test
    void failuresSayWhatTheServerDidWithoutTheQueryOrTheSecret() {
        assertFails(500, "oops", "token request to https://auth.example:8443/oauth/token failed: HTTP 500");
        assertFails(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret s3cret-value\\n\"}",
                "token request to https://auth.example:8443/oauth/token failed: HTTP 401 (invalid_client: bad secret **** )");
        assertFails(200, "<html>", "token server at https://auth.example:8443/oauth/token answered HTTP 200 without a JSON object");
        assertFails(200, "", "answered HTTP 200 without a JSON object");
        assertFails(200, "[1]", "without a JSON object");
        assertFails(200, "{\"token_type\":\"Bearer\"}", "token server at https://auth.example:8443/oauth/token answered no access_token");
        assertFails(200, "{\"access_token\":\"\"}", "answered no access_token");
        assertFails(200, "{\"access_token\":7}", "answered no access_token");
        assertFails(200, "{\"access_token\":\"a\\r\\nX-Evil: 1\"}", "cannot be sent in a header");
        assertFails(200, "{\"access_token\":\"a\",\"token_type\":\"mac\"}", "answered token_type \"mac\"; Herald sends Bearer tokens only");
    }

    @Test
    void anAnswerAtTheCapIsRefused() {
        assertThatThrownBy(() -> TokenAnswer.read(C, 200, "{".getBytes(StandardCharsets.UTF_8), true, 0, 300))
                .isInstanceOf(TokenFailure.class).hasMessageContaining("more than 65536 bytes");
    }

    @Test
    void theUrlIsShownWithoutQueryOrUserInfo() {
        assertThat(TokenAnswer.shown("https://u:p@auth.example/t?client_secret=x")).isEqualTo("https://auth.example/t");
        assertThat(TokenAnswer.shown("http://127.0.0.1:9/")).isEqualTo("http://127.0.0.1:9/");
    }

    private static BearerToken read(int status, String body) throws TokenFailure {
        return TokenAnswer.read(C, status, body.getBytes(StandardCharsets.UTF_8), false, 0, 300);
    }

    private static void assertFails(int status, String body, String message) {
        assertThatThrownBy(() -> read(status, body)).isInstanceOf(TokenFailure.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-value").doesNotContain("key=k1"));
    }
}
