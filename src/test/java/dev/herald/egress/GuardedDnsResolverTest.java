package dev.herald.egress;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The resolver the HTTP client connects through. Only names of this machine's loopback are
 * resolved here; nothing connects.
 */
class GuardedDnsResolverTest {

    @Test
    void loopbackInEveryFormIsRefusedBeforeAnyConnection() {
        GuardedDnsResolver resolver = new GuardedDnsResolver(AddressPolicy.of(""));
        for (String host : new String[] {"localhost", "127.0.0.1", "127.1", "0x7f000001", "2130706433", "::1",
                "::ffff:127.0.0.1"}) {
            assertThatThrownBy(() -> resolver.resolve(host))
                    .as(host)
                    .isInstanceOf(UnknownHostException.class)
                    // The JDK refuses some ambiguous literals itself; either way no address comes back.
                    .satisfies(e -> {
                        if (e instanceof GuardedDnsResolver.AddressNotAllowedException) {
                            assertThat(e.getMessage()).contains("address not allowed").contains(host);
                        }
                    });
        }
        assertThatThrownBy(() -> resolver.resolve("localhost"))
                .isInstanceOf(GuardedDnsResolver.AddressNotAllowedException.class)
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> resolver.resolve("localhost", 80))
                .isInstanceOf(GuardedDnsResolver.AddressNotAllowedException.class);
    }

    @Test
    void allowedNetworksComeBackAsTheCheckedAddresses() throws Exception {
        GuardedDnsResolver resolver = new GuardedDnsResolver(AddressPolicy.of("127.0.0.0/8"));
        InetAddress[] addresses = resolver.resolve("127.0.0.1");
        assertThat(addresses).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        assertThat(resolver.resolve("127.0.0.1", 8080)).hasSize(1)
                .allSatisfy(a -> assertThat(a.getPort()).isEqualTo(8080));
        // localhost may also resolve to ::1, which 127.0.0.0/8 does not allow: only the checked IPv4 remains.
        assertThat(resolver.resolve("localhost")).extracting(InetAddress::getHostAddress).containsOnly("127.0.0.1");
    }
}
