package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.tenancy.KeyScopes;
import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer <key>}: against the operator's keys (herald.api.keys or the
 * generated one) in constant time, else as an application's key ({@link KeyScopes}), and sets the
 * call's {@link Scope}. A read-only application key may only read: any other method is 403.
 */
public final class ApiAuth implements Processor {

    private static final Set<String> READS = Set.of("GET", "HEAD");

    private final List<byte[]> keys;
    private final KeyScopes applicationKeys;

    public ApiAuth(List<String> keys, KeyScopes applicationKeys) {
        this.keys = keys.stream().map(k -> digest(k.getBytes(StandardCharsets.UTF_8))).toList();
        this.applicationKeys = applicationKeys;
    }

    @Override
    public void process(Exchange exchange) {
        Scope scope = authenticate(exchange);
        if (scope instanceof Scope.OfApplication a && a.readOnly()
                && !READS.contains(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "", String.class))) {
            throw new HeraldException(403, "read_only", "this API key may only read; it cannot change anything", null);
        }
        exchange.setProperty(Scope.PROPERTY, scope);
    }

    /** The scope of the call's key; 401 when it has none that works. Sets nothing (OperatorOnly decides first). */
    Scope authenticate(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HeraldException(401, "unauthorized", "send Authorization: Bearer <api key>", null);
        }
        // Comparing digests keeps the time independent of where the bytes differ and of the key length.
        String presented = header.substring(7).trim();
        byte[] given = digest(presented.getBytes(StandardCharsets.UTF_8));
        boolean ok = false;
        for (byte[] key : keys) {
            ok |= MessageDigest.isEqual(given, key);
        }
        if (ok) {
            return Scope.OPERATOR;
        }
        // An application's key is found by its digest, so the time taken says nothing of how near a guess came.
        Optional<Scope.OfApplication> scope = applicationKeys.scope(presented);
        if (scope.isEmpty()) {
            throw new HeraldException(401, "unauthorized", "the API key is not valid", null);
        }
        return scope.get();
    }

    private static byte[] digest(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
