package dev.herald.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code <header>: <prefix><encode(HMAC-SHA256(secret UTF-8 bytes, body))>}: GitHub, and most
 * hand-rolled receivers (seeds 000-004). A single value, so only the current secret signs: these
 * receivers compare against one expected value and would reject a list.
 */
public final class HmacSha256Dialect implements SignatureDialect {

    public enum Encoding {
        HEX, BASE64;

        /** {@code "hex"} or {@code "base64"}. */
        public static Encoding of(String name) {
            return switch (name) {
                case "hex" -> HEX;
                case "base64" -> BASE64;
                default -> throw new IllegalArgumentException("unknown encoding: " + name);
            };
        }

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        String encode(byte[] mac) {
            // Lowercase hex and padded standard base64: what Node digest(), Python hexdigest()/
            // b64encode() and PHP hash_hmac() produce, so receivers' string compares match.
            return this == HEX ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac);
        }
    }

    private final String header;
    private final String prefix;
    private final Encoding encoding;

    public HmacSha256Dialect(String header, String prefix, Encoding encoding) {
        this.header = Objects.requireNonNull(header, "header");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.encoding = Objects.requireNonNull(encoding, "encoding");
    }

    @Override
    public Map<String, String> sign(SigningInput in) {
        byte[] mac = hmacSha256(utf8(in.currentSecret()), in.body());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(header, prefix + encoding.encode(mac));
        return headers;
    }

    /** HMAC-SHA256 over the concatenation of {@code parts}. A Mac per call: cheap, and thread-safe. */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every JRE; reaching this is a broken runtime.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
