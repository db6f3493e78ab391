package dev.herald.delivery.step;

import dev.herald.oauth.BearerToken;
import dev.herald.oauth.ClientCredentials;
import dev.herald.oauth.TokenFailure;
import dev.herald.oauth.Tokens;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Step {@code AuthorizeRequest}: a webhook with {@code auth} (OAuth2 client credentials) sends
 * {@code Authorization: Bearer <token>}. A token held and fresh is used at once (property
 * {@link #CACHED_TOKEN}, so that a 401 to it can ask for a new one); otherwise the attempt waits for
 * the one fetch of that token without a thread, and goes on on one of {@code tokenThreads}, never on
 * the HTTP client's I/O thread, nor on SendRequest's workers: the attempt is sent from there, and a
 * send may wait for room in herald.delivery.max-in-flight, which the workers make. A fetch that fails is property {@link #TOKEN_FAILURE}: nothing is
 * sent, and RecordAttempt logs the failure. A webhook without auth passes straight through.
 */
public final class AuthorizeRequest extends AsyncProcessorSupport {

    /** The {@link TokenFailure} of this attempt's token fetch. */
    public static final String TOKEN_FAILURE = "heraldTokenFailure";
    /** The {@link BearerToken} sent, when it came from the cache (one a 401 may have made stale). */
    public static final String CACHED_TOKEN = "heraldCachedToken";

    private final Tokens tokens;
    private final Executor tokenThreads;

    public AuthorizeRequest(Tokens tokens, Executor tokenThreads) {
        this.tokens = tokens;
        this.tokenThreads = tokenThreads;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        if (!(job.webhook.auth() instanceof ClientCredentials c)) {
            callback.done(true);
            return true;
        }
        BearerToken cached = tokens.cached(c);
        if (cached != null) {
            exchange.setProperty(CACHED_TOKEN, cached);
            authorize(job, cached);
            callback.done(true);
            return true;
        }
        CompletableFuture<BearerToken> token = tokens.token(c);
        if (token.isDone()) {
            take(exchange, job, token);
            callback.done(true);
            return true;
        }
        token.whenComplete((t, e) -> {
            try {
                tokenThreads.execute(() -> {
                    take(exchange, job, token);
                    callback.done(false);
                });
            } catch (RejectedExecutionException stopping) {
                // Herald is stopping (as in ForgetToken): the attempt ends here rather than never.
                take(exchange, job, token);
                callback.done(false);
            }
        });
        return false;
    }

    private static void take(Exchange exchange, DeliveryJob job, CompletableFuture<BearerToken> token) {
        try {
            authorize(job, token.join());
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            exchange.setProperty(TOKEN_FAILURE, cause instanceof TokenFailure ? cause
                    : new IllegalStateException("token request failed: " + cause, cause));
        }
    }

    private static void authorize(DeliveryJob job, BearerToken token) {
        // The token replaces a custom Authorization header, in whatever case it was written.
        job.requestHeaders.keySet().removeIf(name -> name.equalsIgnoreCase("Authorization"));
        job.requestHeaders.put("Authorization", token.header());
        // The receiver's deadline starts now: waiting for the token server (or a first answer) was not its time.
        job.sentAt = System.currentTimeMillis();
    }
}
