package dev.herald.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 keys in the Standard Webhooks text forms (as its reference libraries write them, standard
 * base64): the secret key {@code whsk_<base64 of the 32-byte seed>} and the public key
 * {@code whpk_<base64 of the 32-byte raw key>}. The JDK alone does the work; the public key is
 * derived from the seed, so a webhook stores only its secret key.
 */
public final class Ed25519Keys {

    public static final String SECRET_PREFIX = "whsk_";
    public static final String PUBLIC_PREFIX = "whpk_";
    static final int KEY_BYTES = 32;
    /** The DER of an Ed25519 SubjectPublicKeyInfo (RFC 8410) before its 32 raw key bytes. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Derived public keys (about a millisecond each with the JDK) for views of many webhooks. */
    private static final BoundedCache<String> PUBLIC_KEYS = new BoundedCache<>(4096);

    private Ed25519Keys() {
    }

    /** A fresh secret key: {@code whsk_} + base64 of 32 random bytes (any 32 bytes are an Ed25519 seed). */
    public static String generate() {
        byte[] seed = new byte[KEY_BYTES];
        RANDOM.nextBytes(seed);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(seed);
    }

    /** Whether {@code secret} is a well-formed {@code whsk_} key. */
    public static boolean isSecretKey(String secret) {
        return secret != null && secret.startsWith(SECRET_PREFIX) && decode(secret, SECRET_PREFIX) != null;
    }

    /** The signing key of a {@code whsk_} secret. */
    public static PrivateKey privateKey(String secret) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed(secret)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e); // mandatory since Java 15
        }
    }

    /** The {@code whpk_} public key of a {@code whsk_} secret. */
    public static String publicKey(String secret) {
        return PUBLIC_KEYS.get(secret, Ed25519Keys::derivePublicKey);
    }

    private static String derivePublicKey(String secret) {
        byte[] x509 = publicKeyOfSeed(seed(secret)).getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - KEY_BYTES, x509.length);
        return PUBLIC_PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    /** A {@code whpk_} public key (or its raw base64) as a JDK key, for verifying. */
    public static PublicKey parsePublicKey(String publicKey) {
        byte[] raw = decode(publicKey, PUBLIC_PREFIX);
        if (raw == null) {
            throw new IllegalArgumentException("not an Ed25519 public key: whpk_<base64 of 32 bytes> expected");
        }
        byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_BYTES);
        System.arraycopy(raw, 0, x509, X509_PREFIX.length, KEY_BYTES);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /**
     * The JDK has no call from an Ed25519 private key to its public key; its key pair generator
     * derives both from 32 bytes it reads from the random source (RFC 8032 5.1.5), so it is handed
     * the seed as that source.
     */
    private static PublicKey publicKeyOfSeed(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedSource(seed));
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    private static byte[] seed(String secret) {
        byte[] seed = decode(secret, SECRET_PREFIX);
        if (seed == null) {
            throw new IllegalArgumentException("not an Ed25519 secret key: whsk_<base64 of 32 bytes> expected");
        }
        return seed;
    }

    /** The 32 bytes after {@code prefix} (the prefix may be absent), or null if they are not. */
    private static byte[] decode(String text, String prefix) {
        if (text == null) {
            return null;
        }
        String encoded = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            return bytes.length == KEY_BYTES ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A "random" source that yields one seed: only for {@link #publicKeyOfSeed}. */
    private static final class SeedSource extends SecureRandom {
        private final byte[] seed;

        SeedSource(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("the key pair generator asked for " + bytes.length + " bytes, not a seed");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
