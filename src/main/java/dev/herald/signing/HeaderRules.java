package dev.herald.signing;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The header names and values a webhook may put on its signed requests: custom {@code headers},
 * {@code event_type_header}, {@code signature.header} and {@code signature.prefix} all follow
 * these rules, so none of them can steer Camel or the HTTP client, nor replace a header Herald
 * sets. Refusals are 400s naming the field.
 */
public final class HeaderRules {

    /** An HTTP token (RFC 9110), 1 to 100 characters: no spaces, colons, CR or LF. */
    public static final Pattern NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,100}");

    /** Set by Herald or its HTTP client on every request, or hop-by-hop (RFC 9110 7.6.1): lowercase. */
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "host", "user-agent",
            "x-webhook-id", "x-webhook-delivery", "x-webhook-attempt",
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
            "trailer", "transfer-encoding", "upgrade");

    /** Left out of every request by the delivery client (as Camel's HTTP component does): refused, not dropped. */
    private static final Set<String> NOT_SENT = Set.of("cache-control", "date", "pragma", "via", "warning");

    private HeaderRules() {
    }

    /** Refuses {@code name} (as field {@code field}) unless Herald may send a header by that name. */
    public static void checkName(String name, String field) {
        checkSyntax(name, field);
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower)) {
            throw HeraldException.invalid(field, name + " is set by Herald or by HTTP itself and cannot be used here");
        }
        if (NOT_SENT.contains(lower)) {
            throw HeraldException.invalid(field, name + " is not sent on webhook requests (a caching or hop header),"
                    + " so it cannot be used here");
        }
        // Camel turns message headers named Camel* into behaviour (CamelHttpUri, CamelHttpPath,
        // CamelHttpQuery rewrite the request) and expands placeholders in some of them.
        if (lower.startsWith("camel")) {
            throw HeraldException.invalid(field, name + ": header names starting with Camel are reserved (Camel"
                    + " would act on them)");
        }
    }

    /** Refuses {@code name} unless it is an HTTP header name at all (whatever it names). */
    public static void checkSyntax(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw HeraldException.invalid(field, "\"" + Excerpt.of(name) + "\" is not an HTTP header name: use 1 to 100"
                    + " letters, digits and !#$%&'*+-.^_`|~ (no spaces, colons or line breaks)");
        }
    }

    /** Refuses a header value with control characters (tab aside), {@code {{}, or over {@code max} characters. */
    public static void checkValue(String value, String field, int max) {
        if (value == null || value.length() > max) {
            throw HeraldException.invalid(field, "header values are strings of at most " + max + " characters");
        }
        if (value.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
            throw HeraldException.invalid(field, "header values must not contain control characters (CR, LF, NUL...)");
        }
        // Camel 4.18 expands {{...}} property placeholders in some outgoing headers (CAMEL-24418).
        if (value.contains("{{")) {
            throw HeraldException.invalid(field, "header values must not contain \"{{\" (placeholder syntax)");
        }
    }
}
