package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Checks {@code Authorization: Bearer <key>} against the configured keys, in constant time. */
public final class ApiAuth implements Processor {

    private final List<byte[]> keys;

    public ApiAuth(List<String> keys) {
        this.keys = keys.stream().map(k -> digest(k.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Override
    public void process(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HeraldException(401, "unauthorized", "send Authorization: Bearer <api key>", null);
        }
        // Comparing digests keeps the time independent of where the bytes differ and of the key length.
        byte[] given = digest(header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        boolean ok = false;
        for (byte[] key : keys) {
            ok |= MessageDigest.isEqual(given, key);
        }
        if (!ok) {
            throw new HeraldException(401, "unauthorized", "the API key is not valid", null);
        }
        exchange.setProperty(Scope.PROPERTY, Scope.OPERATOR);
    }

    private static byte[] digest(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
