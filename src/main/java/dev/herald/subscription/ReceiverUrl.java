package dev.herald.subscription;

import dev.herald.egress.AddressPolicy;
import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A webhook's {@code url}: what the API accepts, and how answers show one. */
public final class ReceiverUrl {

    static final int MAX_LENGTH = 2048;
    private static final String MASK = "****";

    private ReceiverUrl() {
    }

    /** {@code text} if it is a URL Herald can deliver to (or fetch a token from), else a 400 naming {@code field}. */
    static String check(String text, AddressPolicy policy, String field) {
        if (text.length() > MAX_LENGTH) {
            throw HeraldException.invalid(field, field + " must be at most " + MAX_LENGTH + " characters, got "
                    + text.length());
        }
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            // Not e.getMessage(): it repeats the whole input.
            throw HeraldException.invalid(field, field + " is not a valid URL: " + e.getReason() + " at index " + e.getIndex()
                    + " of \"" + Excerpt.of(masked(text)) + "\"");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                || u.getFragment() != null) {
            throw HeraldException.invalid(field, field + " must be an absolute http(s) URL with a host and no #fragment, got \""
                    + Excerpt.of(masked(text)) + "\"");
        }
        if (u.getRawUserInfo() != null) {
            // HttpClient 5 refuses such a URL on every attempt, and the API would show the password.
            throw HeraldException.invalid(field, field + " must not carry user information (user:password@); a receiver"
                    + " that needs credentials gets them in a custom header, e.g. \"headers\":{\"Authorization\":"
                    + "\"Basic ...\"}, which Herald masks in answers and encrypts with herald.secrets.key");
        }
        policy.checkUrlHost(u.getHost(), field);
        return text;
    }

    /**
     * {@code url} with any user information replaced by {@value #MASK}, for answers and events:
     * a row saved before such URLs were refused must not show its password.
     */
    public static String masked(String url) {
        if (url == null) {
            return null;
        }
        int start = url.indexOf("://");
        if (start < 0) {
            return url;
        }
        start += 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return url;
        }
        return url.substring(0, start) + MASK + url.substring(at);
    }
}
