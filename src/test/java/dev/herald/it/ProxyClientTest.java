package dev.herald.it;

import dev.herald.egress.AddressPolicy;
import dev.herald.egress.CappedResponse;
import dev.herald.egress.EgressProxy;
import dev.herald.egress.ProxyFailure;
import dev.herald.egress.ReceiverClient;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery client and a loopback proxy, without a whole Herald: what the proxy is asked for,
 * what the receiver gets, and the proxy's refusal of wrong or missing credentials.
 */
class ProxyClientTest {

    private static Object attempt(String proxyUrl, int receiverPort) throws Exception {
        return attempt(proxyUrl, "http://127.0.0.1:" + receiverPort + "/c");
    }

    private static Object attempt(String proxyUrl, String url) throws Exception {
        try (ReceiverClient client = new ReceiverClient(AddressPolicy.of("127.0.0.0/8"), 5_000, 4, 2,
                EgressProxy.parse(proxyUrl, ""))) {
            CompletableFuture<Object> ended = new CompletableFuture<>();
            client.send(AsyncRequestBuilder.post(URI.create(url)).build(),
                    new CappedResponse(1024), new FutureCallback<>() {
                        @Override
                        public void completed(CappedResponse r) {
                            ended.complete(r.status());
                        }

                        @Override
                        public void failed(Exception e) {
                            ended.complete(e);
                        }

                        @Override
                        public void cancelled() {
                            ended.complete("cancelled");
                        }
                    });
            return ended.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aNameIsAskedOfTheProxyAsItsCheckedAddressAndTheReceiverStillSeesItsName() throws Exception {
        try (TestProxy proxy = new TestProxy(null, null); Receiver receiver = new Receiver()) {
            Object result = attempt("http://127.0.0.1:" + proxy.port(), "http://localhost:" + receiver.port() + "/named");
            assertThat(result).isEqualTo(200);
            // Not "localhost": the proxy cannot resolve the name again to somewhere else.
            assertThat(proxy.asked).containsExactly("127.0.0.1:" + receiver.port());
            assertThat(receiver.requests).singleElement()
                    .satisfies(r -> assertThat(r.header("Host")).isEqualTo("localhost:" + receiver.port()));
        }
    }

    @Test
    void wrongOrMissingCredentialsAreTheProxysRefusal() throws Exception {
        try (TestProxy proxy = new TestProxy("herald", "right"); Receiver receiver = new Receiver()) {
            for (String url : new String[] {"http://herald:wrong@127.0.0.1:" + proxy.port(), "http://127.0.0.1:" + proxy.port()}) {
                int before = proxy.asked.size();
                Object result = attempt(url, receiver.port());
                assertThat(result).as(url).isInstanceOf(ProxyFailure.class);
                assertThat(((Exception) result).getMessage())
                        .isEqualTo("proxy error: the proxy answered 407 Proxy Authentication Required to CONNECT");
                assertThat(proxy.asked.size() - before).as("CONNECTs").isBetween(1, 2);
            }
            assertThat(attempt("http://herald:right@127.0.0.1:" + proxy.port(), receiver.port())).isEqualTo(200);
            assertThat(receiver.requests).hasSize(1);
        }
    }
}
