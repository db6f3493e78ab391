package dev.herald.api;

import dev.herald.error.HeraldException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start of a portal link: herald.public-url when set, else the request's Host header, only when it is a plain host[:port]. */
class PublicUrlTest {

    @Test
    void theHostHeaderMakesTheBaseWhenNothingIsConfigured() {
        PublicUrl fromRequest = new PublicUrl("");
        assertThat(fromRequest.base("127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
        assertThat(fromRequest.base("Hooks.Example.com")).isEqualTo("http://hooks.example.com");
        assertThat(fromRequest.base("[::1]:8080")).isEqualTo("http://[::1]:8080");
    }

    @Test
    void aHostileHostHeaderIsRefusedNamingIt() {
        PublicUrl fromRequest = new PublicUrl(null);
        for (String hostile : new String[] {null, "", "evil.example/path", "user@evil.example", "evil.example:80/x",
                "evil.example:99999", "evil.example:", "a b", "evil.example#frag", "evil.example?q", "javascript:alert(1)",
                "-bad.example", "[::1", "x".repeat(300), "evil.example\r\nSet-Cookie: a=b"}) {
            assertThatThrownBy(() -> fromRequest.base(hostile)).as(String.valueOf(hostile))
                    .isInstanceOfSatisfying(HeraldException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.field()).isEqualTo("Host");
                    });
        }
    }

    @Test
    void theConfiguredUrlWinsAndIsCheckedAtStart() {
        assertThat(new PublicUrl("https://hooks.example.com/").base("127.0.0.1:8080")).isEqualTo("https://hooks.example.com");
        assertThat(new PublicUrl(" https://example.com/herald ").base("ignored")).isEqualTo("https://example.com/herald");
        assertThat(new PublicUrl("http://127.0.0.1:9000").base(null)).isEqualTo("http://127.0.0.1:9000");
        for (String bad : new String[] {"hooks.example.com", "ftp://example.com", "https://user:pw@example.com",
                "https://example.com/?a=1", "https://example.com/#x", "https://", "https://exa mple.com", "https://example.com:99999"}) {
            assertThatThrownBy(() -> new PublicUrl(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("herald.public-url");
        }
    }
}
