package dev.herald.egress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * herald.delivery.no-proxy: the receivers a delivery reaches directly although a proxy is set.
 * Comma-separated: an exact host name ({@code hooks.example.com}), a suffix ({@code *.example.com}
 * or {@code .example.com}: any name under example.com, not example.com itself), or an IP literal
 * (matched as an address, so {@code ::1} matches {@code [0:0:0:0:0:0:0:1]}). Case does not
 * matter; a trailing dot is ignored. Matching is on the URL's host as written: no DNS lookup.
 */
public final class NoProxy {

    static final NoProxy NONE = new NoProxy(List.of(), List.of(), List.of());

    private final List<String> names;
    private final List<String> suffixes;
    private final List<byte[]> addresses;

    private NoProxy(List<String> names, List<String> suffixes, List<byte[]> addresses) {
        this.names = names;
        this.suffixes = suffixes;
        this.addresses = addresses;
    }

    /** The patterns of {@code setting} (may be empty); a pattern of another shape is a startup error. */
    public static NoProxy parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        List<byte[]> addresses = new ArrayList<>();
        for (String part : setting.split(",")) {
            String p = normal(part.trim());
            if (p.isEmpty()) {
                continue;
            }
            byte[] ip = AddressPolicy.literal(p);
            if (ip != null) {
                addresses.add(ip);
                continue;
            }
            String suffix = p.startsWith("*.") ? p.substring(1) : p.startsWith(".") ? p : null;
            String name = suffix == null ? p : suffix.substring(1);
            if (name.isEmpty() || !name.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
                throw new IllegalArgumentException("herald.delivery.no-proxy: \"" + part.trim()
                        + "\" is not a host name, *.domain, .domain or IP address");
            }
            (suffix == null ? names : suffixes).add(suffix == null ? name : suffix);
        }
        return new NoProxy(List.copyOf(names), List.copyOf(suffixes), List.copyOf(addresses));
    }

    /** True when a receiver at {@code host} (a URL's host, IPv6 in brackets or not) is reached directly. */
    public boolean matches(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = normal(host);
        if (!addresses.isEmpty()) {
            byte[] ip = AddressPolicy.literal(h);
            if (ip != null) {
                for (byte[] a : addresses) {
                    if (Arrays.equals(a, ip)) {
                        return true;
                    }
                }
                return false;
            }
        }
        if (names.contains(h)) {
            return true;
        }
        for (String s : suffixes) {
            if (h.endsWith(s) && h.length() > s.length()) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return names.isEmpty() && suffixes.isEmpty() && addresses.isEmpty();
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(names);
        suffixes.forEach(s -> all.add("*" + s));
        addresses.forEach(a -> all.add(text(a)));
        return String.join(",", all);
    }

    private static String text(byte[] ip) {
        try {
            return java.net.InetAddress.getByAddress(ip).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    private static String normal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
