package dev.herald.delivery.step;

import dev.herald.oauth.BearerToken;
import dev.herald.oauth.ClientCredentials;
import dev.herald.oauth.Tokens;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code ForgetToken}: the receiver answered 401 to a token from the cache, which it may have
 * revoked or which the token server may have rotated: the token is forgotten (by every webhook that
 * shares it; a newer one another attempt already fetched stays), and this attempt's first answer is
 * discarded, so that it is sent once more with a new token. The second answer is the attempt's.
 */
public final class ForgetToken implements Processor {

    private final Tokens tokens;

    public ForgetToken(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        BearerToken stale = exchange.getProperty(AuthorizeRequest.CACHED_TOKEN, BearerToken.class);
        tokens.forget((ClientCredentials) job.webhook.auth(), stale);
        exchange.removeProperty(AuthorizeRequest.CACHED_TOKEN);
        exchange.removeProperty(ReadResponse.BODY_FAILURE);
        job.response = null;
    }
}
