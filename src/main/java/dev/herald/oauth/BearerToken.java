package dev.herald.oauth;

/**
 * An access token from a token server and when Herald stops using it ({@code refreshAt}, a
 * {@link System#nanoTime} instant): a while before it expires, so that a token is never sent
 * just as it runs out.
 */
public record BearerToken(String value, long refreshAt) {

    /** A token kept at most this long, whatever {@code expires_in} says: Herald asks again at least daily. */
    static final long MAX_LIFETIME_SECONDS = 86_400;
    /** Refreshed this much before it expires at most (or 10% of its lifetime, when that is less). */
    static final long MAX_MARGIN_SECONDS = 30;

    /**
     * A token fetched with a request sent at {@code sentAt} (nanoTime) that lives {@code expiresIn}
     * seconds: used until 10% of that, or 30 s, whichever is less, before it expires. The clock
     * starts when the request was sent, not when the answer came, so a slow answer errs early.
     */
    static BearerToken of(String value, long sentAt, long expiresIn) {
        long life = Math.max(0, Math.min(expiresIn, MAX_LIFETIME_SECONDS)) * 1_000_000_000L;
        long margin = Math.min(life / 10, MAX_MARGIN_SECONDS * 1_000_000_000L);
        return new BearerToken(value, sentAt + life - margin);
    }

    /** Still to be used at {@code now} (nanoTime). */
    public boolean fresh(long now) {
        return now - refreshAt < 0;
    }

    /** The {@code Authorization} header's value. */
    public String header() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "BearerToken[****]";
    }
}
