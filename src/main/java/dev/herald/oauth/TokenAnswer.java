package dev.herald.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.error.Excerpt;

import java.net.URI;

/**
 * A token server's answer (RFC 6749 section 5.1) read into a {@link BearerToken}, or the reason it
 * is none, in words for the delivery log. Words quoted from the server (an OAuth {@code error} and
 * its description) are cut short, stripped of control characters and of the client secret, should
 * a server echo it.
 */
final class TokenAnswer {

    /** The most of a token server's answer Herald reads; a longer one is refused. */
    static final int MAX_BYTES = 65_536;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenAnswer() {
    }

    /**
     * The token in an answer with {@code status} and {@code body} ({@code full}: the body reached
     * {@link #MAX_BYTES}), to a request sent at {@code sentAt}; {@code defaultExpiresIn} seconds
     * when the answer gives no {@code expires_in}.
     */
    static BearerToken read(ClientCredentials c, int status, byte[] body, boolean full, long sentAt,
                            long defaultExpiresIn) throws TokenFailure {
        String at = shown(c.tokenUrl());
        if (status < 200 || status >= 300) {
            throw new TokenFailure("token request to " + at + " failed: HTTP " + status + oauthError(c, body));
        }
        if (full) {
            throw new TokenFailure("token server at " + at + " answered more than " + MAX_BYTES + " bytes");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (java.io.IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            throw new TokenFailure("token server at " + at + " answered HTTP " + status + " without a JSON object");
        }
        JsonNode token = answer.get("access_token");
        if (token == null || !token.isTextual() || token.textValue().isEmpty()) {
            throw new TokenFailure("token server at " + at + " answered no access_token");
        }
        if (!headerSafe(token.textValue())) {
            throw new TokenFailure("token server at " + at + " answered an access_token that cannot be sent in a"
                    + " header (only visible ASCII characters can)");
        }
        JsonNode type = answer.get("token_type");
        // RFC 6749 requires token_type; a server that leaves it out means the only kind there is.
        if (type != null && !type.isNull() && !"bearer".equalsIgnoreCase(type.asText())) {
            throw new TokenFailure("token server at " + at + " answered token_type \"" + quoted(c, type.asText())
                    + "\"; Herald sends Bearer tokens only");
        }
        return BearerToken.of(token.textValue(), sentAt, expiresIn(answer.get("expires_in"), defaultExpiresIn));
    }

    /** A failure on the wire (no connection, no answer in time, a broken answer), in words. */
    static TokenFailure onTheWire(ClientCredentials c, String what, Throwable cause) {
        return new TokenFailure("token request to " + shown(c.tokenUrl()) + " failed: " + what, cause);
    }

    /** {@code expires_in} in seconds: a number, or a string of one, as some servers send; else the default. */
    private static long expiresIn(JsonNode v, long defaultExpiresIn) {
        if (v != null && v.isNumber()) {
            return v.asLong();
        }
        if (v != null && v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                return defaultExpiresIn;
            }
        }
        return defaultExpiresIn;
    }

    /** " (error: description)" from an OAuth error answer (RFC 6749 section 5.2), else "". */
    private static String oauthError(ClientCredentials c, byte[] body) {
        try {
            JsonNode answer = JSON.readTree(body);
            if (answer != null && answer.path("error").isTextual()) {
                String description = answer.path("error_description").isTextual()
                        ? ": " + answer.get("error_description").textValue() : "";
                return " (" + quoted(c, answer.get("error").textValue() + description) + ")";
            }
        } catch (java.io.IOException e) {
            // Not JSON (an empty body reads as null): the status says enough.
        }
        return "";
    }

    private static String quoted(ClientCredentials c, String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            b.append(ch < 0x20 || ch == 0x7F ? ' ' : ch);
        }
        return Excerpt.of(b.toString().replace(c.clientSecret(), "****"));
    }

    /** RFC 6750's b64token is visible ASCII; anything else could break (or split) the header. */
    private static boolean headerSafe(String token) {
        for (int i = 0; i < token.length(); i++) {
            char ch = token.charAt(i);
            if (ch < 0x21 || ch > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /**
     * The token URL as the log shows it: scheme, host, port and path; the query (which may carry a
     * key) and any user information left out.
     */
    static String shown(String url) {
        try {
            URI u = new URI(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "the token URL";
        }
    }
}
