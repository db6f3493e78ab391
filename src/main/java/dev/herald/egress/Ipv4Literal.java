package dev.herald.egress;

/**
 * IPv4 literals as resolvers read them. {@code getaddrinfo} (inet_aton) accepts 1 to 4 parts,
 * each decimal, octal (leading 0) or hex (0x), the last filling the remaining bytes: so
 * {@code 127.1}, {@code 0x7f000001} and {@code 2130706433} all name 127.0.0.1 and must be
 * judged as such when a URL is created.
 */
final class Ipv4Literal {

    private Ipv4Literal() {
    }

    /** The 4 bytes, or null when {@code s} is not an IPv4 literal in any inet_aton form. */
    static byte[] parse(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = number(parts[i]);
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 0xff) {
                return null;
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[parts.length - 1];
        int lastBits = 8 * (5 - parts.length);
        if (last >= (1L << lastBits)) {
            return null;
        }
        address |= last;
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    /** Strict dotted-quad decimal only (for settings, where 127.1 would be a typo). */
    static byte[] parseDotted(String s) {
        if (!s.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")) {
            return null;
        }
        return parse(s);
    }

    private static Long number(String p) {
        if (p.isEmpty() || p.length() > 12) {
            return null;
        }
        int radix = 10;
        String digits = p;
        if (p.length() > 1 && (p.startsWith("0x") || p.startsWith("0X"))) {
            radix = 16;
            digits = p.substring(2);
        } else if (p.length() > 1 && p.startsWith("0")) {
            radix = 8;
            digits = p.substring(1);
        }
        if (digits.isEmpty()) {
            return radix == 16 ? 0L : null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                return null;
            }
        }
        return Long.parseLong(digits, radix);
    }
}
