package dev.herald.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 10.1.0.0/16} or {@code fc00::/7}. */
record Cidr(byte[] network, int prefix) {

    /** Parses {@code address/prefix} (or a single address); only literal addresses, no lookup. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] ip;
        if (addr.indexOf(':') >= 0) {
            try {
                ip = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address range: " + text);
            }
            if (ip.length == 4) {
                throw new IllegalArgumentException("write IPv4 ranges as IPv4 (a.b.c.d/n): " + text);
            }
        } else {
            ip = Ipv4Literal.parseDotted(addr);
            if (ip == null) {
                throw new IllegalArgumentException("not an address range: " + text);
            }
        }
        int bits = ip.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address range: " + text);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix out of range in " + text);
        }
        return new Cidr(ip, prefix);
    }

    boolean contains(byte[] ip) {
        if (ip.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (ip[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (ip[full] & mask) == (network[full] & mask);
    }
}
