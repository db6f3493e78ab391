package dev.herald.api;

import dev.herald.error.HeraldException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The address a link Herald hands out starts with (a customer portal link): herald.public-url when
 * set, else the address the request came in on, from its Host header. A Host header is the client's
 * word: only a plain {@code host[:port]} (a name, an IPv4 address or a bracketed IPv6 one) is taken,
 * so a hostile one cannot put a path, a user or another scheme into the link.
 */
public final class PublicUrl {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]{2,45}]");

    /** The configured base without a trailing '/', or null when none is set (then each request's Host says it). */
    private final String configured;

    public PublicUrl(String setting) {
        this.configured = configured(setting);
    }

    /** The base for a request that named {@code host} in its Host header. */
    public String base(String host) {
        if (configured != null) {
            return configured;
        }
        if (!validHost(host)) {
            throw HeraldException.invalid("Host", "the request's Host header is not a host[:port]; set herald.public-url");
        }
        return "http://" + host.toLowerCase(Locale.ROOT);
    }

    /** herald.public-url checked at start: http(s)://host[:port][/path], no query, fragment or user; null when empty. */
    static String configured(String setting) {
        if (setting == null || setting.isBlank()) {
            return null;
        }
        String s = setting.trim();
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("herald.public-url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawAuthority() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !validHost(uri.getRawAuthority())) {
            throw new IllegalArgumentException("herald.public-url must be http(s)://host[:port][/path] (no user, query "
                    + "or fragment), e.g. https://hooks.example.com; it is " + s);
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Whether {@code host} is a plain {@code host[:port]}, as a Host header or a URL's authority holds it. */
    static boolean validHost(String host) {
        if (host == null || host.isEmpty() || host.length() > 260) {
            return false;
        }
        String name = host;
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && (host.charAt(0) != '[' || host.indexOf(']') < colon)) {
            String port = host.substring(colon + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(port) > 65535) {
                return false;
            }
            name = host.substring(0, colon);
        }
        return name.length() <= 253 && (NAME.matcher(name).matches() || IPV6.matcher(name).matches());
    }
}
