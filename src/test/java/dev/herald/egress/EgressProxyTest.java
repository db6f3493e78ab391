package dev.herald.egress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** herald.delivery.proxy as the operator writes it; a bad value stops the start, its password unsaid. */
class EgressProxyTest {

    @Test
    void emptyMeansDirect() {
        assertThat(EgressProxy.parse("", "")).isNull();
        assertThat(EgressProxy.parse(null, null)).isNull();
        assertThat(EgressProxy.parse("  ", "example.com")).isNull();
    }

    @Test
    void hostAndPortWithoutCredentials() {
        EgressProxy p = EgressProxy.parse("http://proxy.internal:3128", "");
        assertThat(p.host()).isEqualTo("proxy.internal");
        assertThat(p.port()).isEqualTo(3128);
        assertThat(p.username()).isNull();
        assertThat(p.masked()).isEqualTo("http://proxy.internal:3128");
        assertThat(EgressProxy.parse("HTTP://127.0.0.5:8080/", "").port()).isEqualTo(8080);
        assertThat(EgressProxy.parse("http://[::1]:3128", "").host()).isEqualTo("[::1]");
    }

    @Test
    void theFirstHopCarriesTheProxysAddressSoTheGuardNeverJudgesIt() throws Exception {
        assertThat(EgressProxy.parse("http://127.0.0.1:3128", "").firstHop().getAddress().getHostAddress())
                .isEqualTo("127.0.0.1");
        org.apache.hc.core5.http.HttpHost v6 = EgressProxy.parse("http://[::1]:3128", "").firstHop();
        assertThat(v6.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(v6.getPort()).isEqualTo(3128);
    }

    @Test
    void credentialsArePercentDecodedAndNeverShown() {
        EgressProxy p = EgressProxy.parse("http://deliv%40ery:p%40ss%3Aw+rd%2F@proxy.internal:3128", "*.corp.test");
        assertThat(p.username()).isEqualTo("deliv@ery");
        assertThat(p.password()).isEqualTo("p@ss:w+rd/");
        assertThat(p.masked()).isEqualTo("http://****@proxy.internal:3128");
        assertThat(p.toString()).isEqualTo("http://****@proxy.internal:3128 (not for *.corp.test)")
                .doesNotContain("p@ss").doesNotContain("deliv");
        assertThat(p.bypasses("hooks.corp.test")).isTrue();
        assertThat(p.bypasses("hooks.example.com")).isFalse();
        assertThat(EgressProxy.parse("http://user@proxy.internal:3128", "").password()).isEmpty();
    }

    @Test
    void badValuesAreStartupErrorsThatNameTheSettingButNotThePassword() {
        String[][] cases = {
            {"https://user:sekrit1@proxy.internal:3128", "only http://"},
            {"socks5://user:sekrit1@proxy.internal:1080", "only http://"},
            {"proxy.internal:3128", "only http://"},
            {"http://user:sekrit1@proxy.internal", "port"},
            {"http://user:sekrit1@proxy.internal:3128/path", "no path"},
            {"http://user:sekrit1@proxy.internal:3128?x=1", "no path"},
            {"http://user:sekrit1@pro xy:3128", "not a URL"},
            {"http://:sekrit1@proxy.internal:3128", "user name"},
            {"http://user:sekrit1%zz@proxy.internal:3128", "not a URL"},
            {"http:///", "no host"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> EgressProxy.parse(c[0], ""))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("herald.delivery.proxy: ")
                    .hasMessageContaining(c[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sekrit1"));
        }
    }

    @Test
    void aBadNoProxyIsAnErrorEvenWithoutAProxy() {
        assertThatThrownBy(() -> EgressProxy.parse("", "*"))
                .hasMessageStartingWith("herald.delivery.no-proxy: ");
    }
}
