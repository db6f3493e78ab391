package dev.herald.signing;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Stripe-style: {@code <header>: t=<unix>,v1=<hex(HMAC(secret, t.body))>}, one {@code ,v1=} per
 * secret during rotation (current first). The key is the secret string's UTF-8 bytes,
 * {@code whsec_} included, because that is what Stripe-style verifiers use.
 */
public final class TimestampedDialect implements SignatureDialect {

    private final String header;

    public TimestampedDialect() {
        this(SignatureSpec.DEFAULT_HEADER);
    }

    public TimestampedDialect(String header) {
        this.header = Objects.requireNonNull(header, "header");
    }

    @Override
    public Map<String, String> sign(SigningInput in) {
        String t = Long.toString(in.timestampSeconds());
        byte[] signedPrefix = HmacSha256Dialect.utf8(t + ".");
        StringBuilder value = new StringBuilder("t=").append(t);
        for (String secret : in.secrets()) {
            byte[] mac = HmacSha256Dialect.hmacSha256(HmacSha256Dialect.utf8(secret), signedPrefix, in.body());
            value.append(",v1=").append(HexFormat.of().formatHex(mac));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(header, value.toString());
        return headers;
    }
}
