package dev.herald.egress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** herald.delivery.no-proxy: which receivers' hosts go direct. Matching is on the text: no DNS. */
class NoProxyTest {

    @Test
    void exactNamesMatchThemselvesOnlyWhateverTheCaseOrATrailingDot() {
        NoProxy p = NoProxy.parse("hooks.example.com, Internal");
        assertThat(p.matches("hooks.example.com")).isTrue();
        assertThat(p.matches("HOOKS.Example.com.")).isTrue();
        assertThat(p.matches("internal")).isTrue();
        assertThat(p.matches("a.hooks.example.com")).isFalse();
        assertThat(p.matches("example.com")).isFalse();
        assertThat(p.matches("hooks.example.com.evil.test")).isFalse();
        assertThat(p.matches("xhooks.example.com")).isFalse();
    }

    @Test
    void suffixesMatchNamesUnderTheDomainButNotTheDomainItself() {
        for (String setting : new String[] {"*.example.com", ".example.com"}) {
            NoProxy p = NoProxy.parse(setting);
            assertThat(p.matches("a.example.com")).as(setting).isTrue();
            assertThat(p.matches("a.b.EXAMPLE.com")).as(setting).isTrue();
            assertThat(p.matches("example.com")).as(setting).isFalse();
            assertThat(p.matches("badexample.com")).as(setting).isFalse();
            assertThat(p.matches("example.com.evil.test")).as(setting).isFalse();
        }
    }

    @Test
    void ipLiteralsMatchAsAddressesInAnyWriting() {
        NoProxy p = NoProxy.parse("127.1.2.3, ::1, [2001:db8::5]");
        assertThat(p.matches("127.1.2.3")).isTrue();
        assertThat(p.matches("[::1]")).isTrue();
        assertThat(p.matches("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(p.matches("[2001:DB8:0::5]")).isTrue();
        assertThat(p.matches("127.1.2.4")).isFalse();
        assertThat(p.matches("2001:db8::6")).isFalse();
        // A name never matches an address pattern, and no lookup is made to find out.
        assertThat(p.matches("localhost")).isFalse();
    }

    @Test
    void emptyMatchesNothing() {
        for (String setting : new String[] {null, "", " , ,"}) {
            NoProxy p = NoProxy.parse(setting);
            assertThat(p.matches("example.com")).isFalse();
            assertThat(p.matches("127.0.0.1")).isFalse();
        }
    }

    @Test
    void otherShapesAreAStartupErrorNamingTheSetting() {
        for (String bad : new String[] {"*", "*.", "ex*ample.com", "http://example.com", "example.com:443", "a..b",
                "127.0.0.0/8"}) {
            assertThatThrownBy(() -> NoProxy.parse("ok.example.com," + bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("herald.delivery.no-proxy: ")
                    .hasMessageContaining(bad);
        }
    }
}
