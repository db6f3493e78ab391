package dev.herald.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage with the key of {@code herald.secrets.key}: AES-256-GCM, a fresh
 * random 12-byte nonce per value, stored as {@code sealed:v1:<base64(nonce | ciphertext+tag)>}.
 * The marker tells sealed from plain values, so rows written before the key was set can be
 * sealed in place. Without a key values are stored as given.
 */
public final class SecretSealer {

    public static final String MARKER = "sealed:v1:";
    public static final String KEY_SETTING = "herald.secrets.key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MEMO_LIMIT = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    /**
     * Sealed text to plain text. Ingest reads every matching webhook per batch; without this each
     * read would decrypt every value again. A sealed text is unique (its nonce), so entries never
     * go stale; the map is emptied when full.
     */
    private final Map<String, String> unsealed = new ConcurrentHashMap<>();

    private SecretSealer(SecretKey key) {
        this.key = key;
    }

    /** Stores values as given. */
    public static SecretSealer plain() {
        return new SecretSealer(null);
    }

    /**
     * From the setting's value: empty means no key; else base64 (standard or URL alphabet) of
     * exactly 32 bytes. The message of a refusal never contains the value.
     */
    public static SecretSealer fromSetting(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            return plain();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException notStandard) {
            try {
                bytes = Base64.getUrlDecoder().decode(base64Key.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(KEY_SETTING + " is not base64; generate a key with: openssl rand -base64 32");
            }
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(KEY_SETTING + " must be the base64 of exactly 32 bytes (it decodes to "
                    + bytes.length + "); generate one with: openssl rand -base64 32");
        }
        return new SecretSealer(new SecretKeySpec(bytes, "AES"));
    }

    public boolean hasKey() {
        return key != null;
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(MARKER);
    }

    /** The stored form of {@code plain}: sealed with the key, or as given without one. */
    public String seal(String plain) {
        if (plain == null || key == null || isSealed(plain)) {
            return plain;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
            return MARKER + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * The plain text of a stored value; a value without the marker is returned as it is.
     *
     * @throws SealedSecretException when the value is sealed and there is no key, another key,
     *                               or the stored text was altered
     */
    public String unseal(String stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        if (key == null) {
            throw new SealedSecretException("a secret is stored sealed but " + KEY_SETTING
                    + " is not set: set the key it was sealed with (HERALD_SECRETS_KEY)");
        }
        String known = unsealed.get(stored);
        if (known != null) {
            return known;
        }
        String plain = decrypt(stored);
        if (unsealed.size() >= MEMO_LIMIT) {
            unsealed.clear();
        }
        unsealed.put(stored, plain);
        return plain;
    }

    private String decrypt(String stored) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(stored.substring(MARKER.length()));
        } catch (IllegalArgumentException e) {
            throw new SealedSecretException("a sealed secret is damaged (not base64)");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealedSecretException("a sealed secret is damaged (too short)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SealedSecretException("a sealed secret cannot be opened with the configured " + KEY_SETTING
                    + ": it was sealed with another key, or the stored value was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** A stored sealed value that cannot be opened: never signed with, never shown. */
    public static final class SealedSecretException extends IllegalStateException {
        public SealedSecretException(String message) {
            super(message);
        }
    }
}
