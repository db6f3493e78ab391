package dev.herald.egress;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses a delivery may connect to. A webhook URL is chosen by an API user, so by
 * default Herald refuses every address that reaches inside the network it runs in (loopback,
 * private, link-local, CGNAT, unique-local, unspecified, multicast, broadcast), in any of the
 * IPv6 forms that carry an IPv4 address. An operator allows ranges with
 * {@code herald.delivery.allowed-networks}.
 */
public final class AddressPolicy {

    private record Range(Cidr cidr, String reason) {
    }

    private static final List<Range> REFUSED = List.of(
            new Range(Cidr.parse("0.0.0.0/8"), "unspecified (this network)"),
            new Range(Cidr.parse("10.0.0.0/8"), "private (RFC 1918)"),
            new Range(Cidr.parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
            new Range(Cidr.parse("127.0.0.0/8"), "loopback"),
            new Range(Cidr.parse("169.254.0.0/16"), "link-local"),
            new Range(Cidr.parse("172.16.0.0/12"), "private (RFC 1918)"),
            new Range(Cidr.parse("192.168.0.0/16"), "private (RFC 1918)"),
            new Range(Cidr.parse("224.0.0.0/4"), "multicast"),
            new Range(Cidr.parse("240.0.0.0/4"), "reserved or broadcast"),
            new Range(Cidr.parse("::/128"), "unspecified"),
            new Range(Cidr.parse("::1/128"), "loopback"),
            new Range(Cidr.parse("fe80::/10"), "link-local"),
            new Range(Cidr.parse("fec0::/10"), "site-local"),
            new Range(Cidr.parse("fc00::/7"), "unique-local"),
            new Range(Cidr.parse("ff00::/8"), "multicast"),
            new Range(Cidr.parse("64:ff9b:1::/48"), "local-use NAT64"));

    private final List<Cidr> allowed;

    private AddressPolicy(List<Cidr> allowed) {
        this.allowed = allowed;
    }

    /** The policy with {@code allowedNetworks} (comma-separated CIDRs, may be empty) let through. */
    public static AddressPolicy of(String allowedNetworks) {
        List<Cidr> allowed = new ArrayList<>();
        if (allowedNetworks != null) {
            for (String part : allowedNetworks.split(",")) {
                if (!part.isBlank()) {
                    try {
                        allowed.add(Cidr.parse(part.trim()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("herald.delivery.allowed-networks: " + e.getMessage(), e);
                    }
                }
            }
        }
        return new AddressPolicy(List.copyOf(allowed));
    }

    /** Null when a connection to {@code address} is allowed, else why not (e.g. "loopback"). */
    public String refusal(InetAddress address) {
        return refusal(address.getAddress());
    }

    String refusal(byte[] ip) {
        for (Cidr a : allowed) {
            if (a.contains(ip)) {
                return null;
            }
        }
        byte[] v4 = ip.length == 16 ? embeddedIpv4(ip) : null;
        if (v4 != null) {
            // The IPv6 forms that reach an IPv4 address are judged as that address.
            for (Cidr a : allowed) {
                if (a.contains(v4)) {
                    return null;
                }
            }
            String inner = refusal(v4);
            if (inner != null) {
                return inner + " (as " + ipv4Text(v4) + ")";
            }
        }
        for (Range r : REFUSED) {
            if (r.cidr().contains(ip)) {
                return r.reason();
            }
        }
        return null;
    }

    /**
     * For a webhook URL's host on create and patch: an IP literal in a refused range gets
     * 400 url_not_allowed (field url). Host names pass here; they are checked at connect time,
     * on the addresses they resolve to then. No DNS lookup is made here.
     */
    public void checkUrlHost(String host) {
        checkUrlHost(host, "url");
    }

    /** {@link #checkUrlHost(String)} for a URL given in {@code field} (such as a token server's). */
    public void checkUrlHost(String host, String field) {
        byte[] ip = literal(host);
        String why = ip == null ? null : refusal(ip);
        if (why != null) {
            throw new HeraldException(400, "url_not_allowed", field + " points to a " + why + " address ("
                    + Excerpt.of(host) + "); Herald does not deliver inside its own network unless"
                    + " herald.delivery.allowed-networks allows it", field);
        }
    }

    /**
     * The address an IP literal names, or null for a host name. IPv4 in every form C's
     * inet_aton accepts (127.1, 0x7f000001, 0177.0.0.1, 2130706433), IPv6 with or without brackets.
     */
    static byte[] literal(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf(':') >= 0) {
            try {
                // With a colon it is an IPv6 literal: InetAddress parses it without a lookup.
                byte[] ip = InetAddress.getByName(h).getAddress();
                return ip.length == 4 ? mapped(ip) : ip;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return Ipv4Literal.parse(h.endsWith(".") ? h.substring(0, h.length() - 1) : h);
    }

    /** The IPv4 address an IPv6 address carries: mapped, compatible, NAT64 or 6to4; else null. */
    static byte[] embeddedIpv4(byte[] ip) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= ip[i] == 0;
        }
        if (firstTenZero && (ip[10] & 0xff) == 0xff && (ip[11] & 0xff) == 0xff) {
            return slice(ip, 12); // ::ffff:a.b.c.d
        }
        if (firstTenZero && ip[10] == 0 && ip[11] == 0) {
            byte[] v4 = slice(ip, 12); // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 are judged as IPv6
            return isZeroOrOne(v4) ? null : v4;
        }
        if ((ip[0] & 0xff) == 0x00 && (ip[1] & 0xff) == 0x64 && (ip[2] & 0xff) == 0xff && (ip[3] & 0xff) == 0x9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) {
                wellKnown &= ip[i] == 0;
            }
            if (wellKnown) {
                return slice(ip, 12); // 64:ff9b::a.b.c.d (NAT64)
            }
        }
        if ((ip[0] & 0xff) == 0x20 && (ip[1] & 0xff) == 0x02) {
            return new byte[] {ip[2], ip[3], ip[4], ip[5]}; // 2002:aabb:ccdd::/48 (6to4)
        }
        return null;
    }

    private static boolean isZeroOrOne(byte[] v4) {
        return v4[0] == 0 && v4[1] == 0 && v4[2] == 0 && (v4[3] == 0 || v4[3] == 1);
    }

    private static byte[] slice(byte[] ip, int from) {
        return new byte[] {ip[from], ip[from + 1], ip[from + 2], ip[from + 3]};
    }

    private static byte[] mapped(byte[] v4) {
        // Java turns ::ffff:a.b.c.d into an Inet4Address; keep the 16-byte form so the IPv6 rules see it too.
        byte[] ip = new byte[16];
        ip[10] = (byte) 0xff;
        ip[11] = (byte) 0xff;
        System.arraycopy(v4, 0, ip, 12, 4);
        return ip;
    }

    static String ipv4Text(byte[] v4) {
        return (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff);
    }
}
