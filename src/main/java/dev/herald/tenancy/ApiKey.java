package dev.herald.tenancy;

/**
 * An application's API key as stored: never the key itself, only its digest ({@link ApiKeyStore})
 * and its last characters ({@code hint}), so a list can tell keys apart. {@code expiresAt} is null
 * for a key that does not expire.
 */
public record ApiKey(String id, String applicationId, String name, String hint, boolean readOnly, long createdAt,
                     Long expiresAt) {

    /** Whether the key has expired at {@code now} (epoch ms). */
    public boolean expiredAt(long now) {
        return expiresAt != null && expiresAt <= now;
    }

    /** The scope a call with this key speaks for. */
    public Scope.OfApplication scope() {
        return new Scope.OfApplication(applicationId, id, readOnly);
    }
}
