package dev.herald.signing;

import java.security.SecureRandom;
import java.util.Base64;

/** Generating and displaying webhook secrets. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = StandardWebhooksDialect.SECRET_PREFIX;

    private Secrets() {
    }

    /**
     * {@code whsec_} + base64 of 32 random bytes: a valid standard-webhooks secret, and printable
     * ASCII of 50 chars, so valid for every other scheme too.
     */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * For display: {@code whsec_****abcd}. The last 4 chars are shown only when at least 16
     * remain, so short secrets are not half given away.
     */
    public static String mask(String secret) {
        if (secret == null) {
            return null;
        }
        String prefix = secret.startsWith(PREFIX) ? PREFIX : "";
        String rest = secret.substring(prefix.length());
        return rest.length() >= 16 ? prefix + "****" + rest.substring(rest.length() - 4) : prefix + "****";
    }
}
