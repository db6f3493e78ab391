package dev.herald.egress;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The routes planned with a proxy, as functions: nothing connects. Receivers are loopback names
 * and literals only; the proxy is on 127.0.0.1, which the guard refuses as a receiver.
 */
class ProxyRoutePlannerTest {

    private static final EgressProxy PROXY = EgressProxy.parse("http://127.0.0.1:3128", "localhost,*.direct.test");

    private static ProxyRoutePlanner planner(String allowed) {
        return new ProxyRoutePlanner(PROXY, new GuardedDnsResolver(AddressPolicy.of(allowed)));
    }

    @Test
    void aRefusedReceiverFailsThePlanWithTheGuardsErrorBeforeTheProxyIsAsked() {
        HttpClientContext context = HttpClientContext.create();
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "[::1]"}) {
            assertThatThrownBy(() -> planner("").determineRoute(new HttpHost("http", host, 8080), null, context))
                    .as(host)
                    .isInstanceOf(ProxyRoutePlanner.Refused.class)
                    .hasCauseInstanceOf(GuardedDnsResolver.AddressNotAllowedException.class)
                    .hasMessageStartingWith("address not allowed: ")
                    .hasMessageContaining("loopback");
        }
        assertThat(context.getAttribute(ProxyTunnel.PROXIED)).as("not marked as sent through the proxy").isNull();
    }

    @Test
    void anAllowedReceiverIsTunnelledToItsCheckedAddressKeepingItsNameForTls() throws Exception {
        HttpClientContext context = HttpClientContext.create();
        HttpRoute https = planner("127.0.0.0/8").determineRoute(new HttpHost("https", "127.0.0.2", -1), null, context);
        assertThat(https.getProxyHost().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(https.getProxyHost().getPort()).isEqualTo(3128);
        assertThat(https.getTargetHost().toHostString()).isEqualTo("127.0.0.2:443");
        assertThat(https.getTargetName().getHostName()).isEqualTo("127.0.0.2");
        assertThat(https.isTunnelled()).isTrue();
        assertThat(https.isLayered()).isTrue();
        assertThat(https.isSecure()).isTrue();
        assertThat(context.getAttribute(ProxyTunnel.PROXIED)).isEqualTo(Boolean.TRUE);

        HttpRoute http = planner("127.0.0.0/8").determineRoute(new HttpHost("http", "127.0.0.2", 8080), null,
                HttpClientContext.create());
        assertThat(http.isTunnelled()).as("http receivers are tunnelled too").isTrue();
        assertThat(http.isLayered()).isFalse();
        assertThat(http.getTargetHost().toHostString()).isEqualTo("127.0.0.2:8080");
    }

    @Test
    void anIpv6ReceiverIsAskedForInBrackets() throws Exception {
        HttpRoute route = planner("::1/128").determineRoute(new HttpHost("https", "[::1]", 8443), null,
                HttpClientContext.create());
        assertThat(route.getTargetHost().toHostString()).isEqualTo("[0:0:0:0:0:0:0:1]:8443");
    }

    @Test
    void aNameIsAskedOfTheProxyAsTheAddressHeraldChecked() throws Exception {
        // localhost.localdomain is not in no-proxy; it must resolve to loopback here (or not at all).
        HttpRoute route;
        try {
            route = planner("127.0.0.0/8,::1/128").determineRoute(new HttpHost("https", "localhost.localdomain", 8443),
                    null, HttpClientContext.create());
        } catch (ProxyRoutePlanner.Refused unknownHere) {
            return;
        }
        String asked = route.getTargetHost().getHostName();
        assertThat(asked).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(route.getTargetName().getHostName()).isEqualTo("localhost.localdomain");
    }

    @Test
    void noProxyNamesGoDirectAndAreJudgedAtConnect() throws Exception {
        HttpClientContext context = HttpClientContext.create();
        for (String host : new String[] {"localhost", "a.direct.test"}) {
            HttpRoute route = planner("").determineRoute(new HttpHost("http", host, 8080), null, context);
            assertThat(route.getProxyHost()).as(host).isNull();
            assertThat(route.getTargetHost().getHostName()).isEqualTo(host);
            assertThat(route.getTargetHost().getAddress()).as("resolved at connect, by the guard").isNull();
        }
        assertThat(context.getAttribute(ProxyTunnel.PROXIED)).isNull();
    }
}
