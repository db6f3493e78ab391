package dev.herald.oauth;

import dev.herald.egress.CappedResponse;
import dev.herald.egress.GuardedDnsResolver;
import dev.herald.egress.ProxyFailure;
import dev.herald.egress.ReceiverClient;

import org.apache.hc.core5.concurrent.FutureCallback;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import javax.net.ssl.SSLException;

/**
 * Asks a token server for a token, through the same {@link ReceiverClient} as deliveries: the
 * same address guard (a token URL is refused where a webhook URL would be, whatever its host name
 * resolves to), the same deadline (herald.delivery.timeout) and a capped answer. The future ends on
 * one of the client's I/O threads: whoever waits on it must not run a route there.
 */
public final class TokenClient implements Function<ClientCredentials, CompletableFuture<BearerToken>> {

    private final ReceiverClient client;
    private final long defaultExpiresIn;
    private final String userAgent;

    /** {@code defaultExpiresIn}: seconds a token lives when its server does not say (herald.oauth.default-expires-in). */
    public TokenClient(ReceiverClient client, long defaultExpiresIn, String userAgent) {
        this.client = client;
        this.defaultExpiresIn = defaultExpiresIn;
        this.userAgent = userAgent;
    }

    @Override
    public CompletableFuture<BearerToken> apply(ClientCredentials c) {
        CompletableFuture<BearerToken> token = new CompletableFuture<>();
        CappedResponse answer = new CappedResponse(TokenAnswer.MAX_BYTES);
        long sentAt = System.nanoTime();
        try {
            client.send(TokenRequest.of(c, userAgent), answer, new FutureCallback<>() {
                @Override
                public void completed(CappedResponse r) {
                    try {
                        token.complete(TokenAnswer.read(c, r.status(), r.body(), r.full(), sentAt, defaultExpiresIn));
                    } catch (TokenFailure e) {
                        token.completeExceptionally(e);
                    }
                }

                @Override
                public void failed(Exception e) {
                    if (!(e instanceof CappedResponse.CapReached)) { // at the cap it completed already
                        token.completeExceptionally(TokenAnswer.onTheWire(c, describe(e), e));
                    }
                }

                @Override
                public void cancelled() {
                    token.completeExceptionally(TokenAnswer.onTheWire(c, "no complete answer within "
                            + client.timeoutMillis() + " ms", new ReceiverClient.DeadlinePassed(client.timeoutMillis())));
                }
            });
        } catch (RuntimeException e) {
            // The client is shut down (Herald is stopping) or the URL cannot be sent to.
            token.completeExceptionally(TokenAnswer.onTheWire(c, describe(e), e));
        }
        return token;
    }

    /** What failed on the wire, in a few words; never a stack trace. */
    private String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProxyFailure) {
                return t.getMessage();
            }
            if (t instanceof GuardedDnsResolver.AddressNotAllowedException) {
                return t.getMessage();
            }
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return "no complete answer within " + client.timeoutMillis() + " ms";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host: " + t.getMessage();
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "connection refused";
            }
            if (t instanceof SSLException) {
                return "TLS error: " + t.getMessage();
            }
            if (t.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return "the token server closed the connection without an answer";
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
