package dev.herald.subscription;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How answers show a receiver URL saved with user information (before such URLs were refused). */
class ReceiverUrlMaskTest {

    @Test
    void userInformationIsMasked() {
        assertThat(ReceiverUrl.masked("http://alice:pw@host.example/x?a=b")).isEqualTo("http://****@host.example/x?a=b");
        assertThat(ReceiverUrl.masked("https://token@host.example")).isEqualTo("https://****@host.example");
        assertThat(ReceiverUrl.masked("http://a@b:pw@host.example:8080/x")).isEqualTo("http://****@host.example:8080/x");
        assertThat(ReceiverUrl.masked("http://@host.example/")).isEqualTo("http://****@host.example/");
    }

    @Test
    void anAtOutsideTheAuthorityIsLeftAlone() {
        for (String url : new String[] {"http://host.example/p@q", "http://host.example?to=a@b", "http://host.example#a@b",
                "https://host.example", "not a url @ all", ""}) {
            assertThat(ReceiverUrl.masked(url)).isEqualTo(url);
        }
        assertThat(ReceiverUrl.masked(null)).isNull();
    }
}
