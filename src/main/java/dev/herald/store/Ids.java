package dev.herald.store;

import java.security.SecureRandom;

/**
 * Time-ordered ids ({@code evt_01J…}): 48 bits of milliseconds then 80 random bits in
 * Crockford base32, like a ULID. Ids sort by creation time, which cursor pagination
 * relies on; within one millisecond the random part is incremented so ids from one
 * process stay strictly increasing.
 */
public final class Ids {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static long lastMillis;
    private static long randHigh; // 16 bits
    private static long randLow;  // 64 bits

    private Ids() {
    }

    public static String event() {
        return next("evt_");
    }

    public static String delivery() {
        return next("del_");
    }

    public static String webhook() {
        return next("hook_");
    }

    public static String application() {
        return next("app_");
    }

    /**
     * A stable event id for an event that came without one, from where it came
     * ({@code jms:<message id>:0}, {@code file:<name>:<size>:<mtime>:<line>}): a message
     * redelivered or a file read again after a crash gets the same id, so it is not fanned
     * out twice.
     */
    public static String derivedEvent(String sourceKey) {
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(sourceKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // 26 base32 characters = 130 bits of the digest, the length of a generated id.
        char[] out = new char[26];
        int bit = 0;
        for (int i = 0; i < out.length; i++, bit += 5) {
            int b = bit / 8;
            int value = ((digest[b] & 0xFF) << 8 | (b + 1 < digest.length ? digest[b + 1] & 0xFF : 0)) >>> (11 - bit % 8);
            out[i] = ALPHABET[value & 31];
        }
        return "evt_" + new String(out);
    }

    /**
     * The smallest id {@code prefix} can have at {@code millis}: every id made at or after that
     * time sorts at or above it, so a time bound becomes a range on an index of ids.
     */
    public static String at(String prefix, long millis) {
        char[] out = new char[26];
        java.util.Arrays.fill(out, '0');
        long t = Math.max(0, Math.min(millis, (1L << 48) - 1));
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (t & 31)];
            t >>>= 5;
        }
        return prefix + new String(out);
    }

    public static synchronized String next(String prefix) {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            randHigh = RANDOM.nextInt(1 << 16);
            randLow = RANDOM.nextLong();
        } else if (++randLow == 0) {
            randHigh = (randHigh + 1) & 0xFFFF;
        }
        char[] out = new char[26];
        long t = lastMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (t & 31)];
            t >>>= 5;
        }
        // 80 random bits = 16 chars of 5 bits: the low 64 bits, then the high 16.
        long lo = randLow;
        long hi = randHigh;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return prefix + new String(out);
    }
}
