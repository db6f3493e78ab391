package dev.herald.delivery.step;

import dev.herald.oauth.BearerToken;
import dev.herald.oauth.ClientCredentials;
import dev.herald.oauth.Tokens;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Step {@code ForgetToken}: the receiver answered 401 to a token from the cache, which it may have
 * revoked or which the token server may have rotated: the token is forgotten (by every webhook that
 * shares it; a newer one another attempt already fetched stays), and this attempt's first answer is
 * discarded, so that it is sent once more with a new token. The second answer is the attempt's.
 *
 * <p>The send again goes on on one of {@code tokenThreads}: this step runs where the first answer
 * was taken (often one of SendRequest's workers, holding its place in herald.delivery.max-in-flight),
 * and a worker that waited there for a second place could wait for good.
 */
public final class ForgetToken extends AsyncProcessorSupport {

    private final Tokens tokens;
    private final Executor tokenThreads;

    public ForgetToken(Tokens tokens, Executor tokenThreads) {
        this.tokens = tokens;
        this.tokenThreads = tokenThreads;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        BearerToken stale = exchange.getProperty(AuthorizeRequest.CACHED_TOKEN, BearerToken.class);
        tokens.forget((ClientCredentials) job.webhook.auth(), stale);
        exchange.removeProperty(AuthorizeRequest.CACHED_TOKEN);
        exchange.removeProperty(ReadResponse.BODY_FAILURE);
        job.response = null;
        try {
            tokenThreads.execute(() -> callback.done(false));
            return false;
        } catch (RejectedExecutionException e) {
            // Herald is stopping: the attempt ends here, on this thread.
            callback.done(true);
            return true;
        }
    }
}
