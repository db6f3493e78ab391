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
