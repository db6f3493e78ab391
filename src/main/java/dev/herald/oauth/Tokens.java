package dev.herald.oauth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The bearer tokens Herald holds, one per set of client credentials (token URL, client id and
 * secret, scope, audience, method: webhooks that share them share the token). A token is used until
 * shortly before it expires ({@link BearerToken#of}); then, or when there is none, the first attempt
 * that needs one starts one fetch and every attempt that needs it meanwhile waits for that same
 * fetch (single flight). A fetch that fails is not kept: the next attempt asks again.
 */
public final class Tokens {

    /** Beyond this many credentials held, expired tokens are dropped when a fetch starts (deleted webhooks leave theirs). */
    static final int SWEEP_ABOVE = 10_000;

    private final ConcurrentHashMap<ClientCredentials, CompletableFuture<BearerToken>> held = new ConcurrentHashMap<>();
    private final Function<ClientCredentials, CompletableFuture<BearerToken>> fetch;

    public Tokens(Function<ClientCredentials, CompletableFuture<BearerToken>> fetch) {
        this.fetch = fetch;
    }

    /** The token held for {@code c} while it is fresh; null when there is none, it expired, or a fetch is under way. */
    public BearerToken cached(ClientCredentials c) {
        CompletableFuture<BearerToken> f = held.get(c);
        BearerToken t = f == null ? null : got(f);
        return t != null && t.fresh(System.nanoTime()) ? t : null;
    }

    /**
     * A token for {@code c}: the fresh one held, the fetch under way, or a new fetch. The future
     * fails with a {@link TokenFailure} when the fetch does; it may end on an HTTP I/O thread.
     */
    public CompletableFuture<BearerToken> token(ClientCredentials c) {
        CompletableFuture<BearerToken> mine = new CompletableFuture<>();
        CompletableFuture<BearerToken> f = held.compute(c, (k, cur) -> usable(cur) ? cur : mine);
        if (f == mine) {
            if (held.size() > SWEEP_ABOVE) {
                sweep();
            }
            // Started outside compute(): a fetch that fails at once removes its entry on this thread.
            fetch.apply(c).whenComplete((t, e) -> {
                if (e != null) {
                    held.remove(c, mine);
                    mine.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e);
                } else {
                    mine.complete(t);
                }
            });
        }
        return f;
    }

    /**
     * The receiver refused {@code used} (HTTP 401): it is dropped, so that the next {@link #token}
     * fetches a new one; unless another attempt already did, in which case that newer token stays.
     */
    public void forget(ClientCredentials c, BearerToken used) {
        held.computeIfPresent(c, (k, cur) -> got(cur) == used ? null : cur);
    }

    /** Credentials with a token held or being fetched. */
    int size() {
        return held.size();
    }

    private static boolean usable(CompletableFuture<BearerToken> f) {
        if (f == null) {
            return false;
        }
        if (!f.isDone()) {
            return true; // a fetch under way: joined
        }
        BearerToken t = got(f);
        return t != null && t.fresh(System.nanoTime());
    }

    /** The token a fetch got; null while it runs or when it failed. */
    private static BearerToken got(CompletableFuture<BearerToken> f) {
        return f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    private void sweep() {
        held.values().removeIf(f -> f.isDone() && !usable(f));
    }
}
