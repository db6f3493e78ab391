package dev.herald.oauth;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The token request of the client credentials grant (RFC 6749 section 4.4.2): a form POST of
 * {@code grant_type=client_credentials}, the scope and the audience when set, and the client's
 * credentials by HTTP Basic (section 2.3.1, the default) or in the form ({@code client_secret_post}).
 */
final class TokenRequest {

    private static final ContentType FORM = ContentType.create("application/x-www-form-urlencoded", StandardCharsets.UTF_8);

    private TokenRequest() {
    }

    static AsyncRequestProducer of(ClientCredentials c, String userAgent) {
        AsyncRequestBuilder b = AsyncRequestBuilder.post(URI.create(c.tokenUrl()))
                .addHeader("Accept", "application/json")
                .addHeader("User-Agent", userAgent);
        if (c.method() == ClientCredentials.Method.CLIENT_SECRET_BASIC) {
            b.addHeader("Authorization", basic(c.clientId(), c.clientSecret()));
        }
        return b.setEntity(AsyncEntityProducers.create(form(c), FORM)).build();
    }

    /** The form body: the grant, the scope and audience when set, and with client_secret_post the client's credentials. */
    static String form(ClientCredentials c) {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        add(form, "scope", c.scope());
        add(form, "audience", c.audience());
        if (c.method() == ClientCredentials.Method.CLIENT_SECRET_POST) {
            add(form, "client_id", c.clientId());
            add(form, "client_secret", c.clientSecret());
        }
        return form.toString();
    }

    /**
     * RFC 6749 section 2.3.1: the id and the secret are each form-urlencoded before they are joined
     * with a colon and base64-encoded, so a colon or a non-ASCII character in either survives.
     */
    static String basic(String clientId, String clientSecret) {
        String pair = encode(clientId) + ":" + encode(clientSecret);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static void add(StringBuilder form, String name, String value) {
        if (value != null) {
            form.append('&').append(name).append('=').append(encode(value));
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
