package dev.herald.oauth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token cache as a function of its fetches: each fetch here is a future the test ends by hand,
 * standing for the token server (the HTTP fetch itself is OAuthDeliveryTest's).
 */
class TokensTest {

    private static final ClientCredentials A = new ClientCredentials("https://auth.example/token", "herald",
            "s3cret", "hooks:write", null, ClientCredentials.Method.CLIENT_SECRET_BASIC);

    private final List<CompletableFuture<BearerToken>> fetches = new ArrayList<>();
    private final Tokens tokens = new Tokens(c -> {
        CompletableFuture<BearerToken> f = new CompletableFuture<>();
        fetches.add(f);
        return f;
    });

    @Test
    void attemptsThatNeedATokenMeanwhileShareOneFetch() {
        CompletableFuture<BearerToken> first = tokens.token(A);
        CompletableFuture<BearerToken> second = tokens.token(A);
        assertThat(fetches).hasSize(1);
        assertThat(tokens.cached(A)).isNull();

        BearerToken t = live("tok-1");
        fetches.get(0).complete(t);
        assertThat(first.join()).isSameAs(t);
        assertThat(second.join()).isSameAs(t);
        assertThat(tokens.cached(A)).isSameAs(t);
        assertThat(tokens.token(A).join()).isSameAs(t);
        assertThat(fetches).hasSize(1);
    }

    @Test
    void theSameCredentialsShareATokenAndOthersDoNot() {
        ClientCredentials same = new ClientCredentials(A.tokenUrl(), A.clientId(), A.clientSecret(), A.scope(), null,
                ClientCredentials.Method.CLIENT_SECRET_BASIC);
        ClientCredentials otherScope = new ClientCredentials(A.tokenUrl(), A.clientId(), A.clientSecret(), "other",
                null, ClientCredentials.Method.CLIENT_SECRET_BASIC);
        ClientCredentials otherSecret = new ClientCredentials(A.tokenUrl(), A.clientId(), "rotated", A.scope(), null,
                ClientCredentials.Method.CLIENT_SECRET_BASIC);
        tokens.token(A);
        tokens.token(same);
        assertThat(fetches).hasSize(1);
        tokens.token(otherScope);
        tokens.token(otherSecret);
        assertThat(fetches).hasSize(3);
    }

    @Test
    void anExpiredTokenIsFetchedAgain() {
        fetches.clear();
        tokens.token(A);
        fetches.get(0).complete(new BearerToken("old", System.nanoTime() - 1));
        assertThat(tokens.cached(A)).isNull();
        CompletableFuture<BearerToken> next = tokens.token(A);
        assertThat(fetches).hasSize(2);
        fetches.get(1).complete(live("new"));
        assertThat(next.join().value()).isEqualTo("new");
    }

    @Test
    void aFailedFetchFailsItsWaitersAndIsNotKept() {
        CompletableFuture<BearerToken> a = tokens.token(A);
        CompletableFuture<BearerToken> b = tokens.token(A);
        fetches.get(0).completeExceptionally(new TokenFailure("token request to https://auth.example/token failed: HTTP 500"));
        assertThatThrownBy(a::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(TokenFailure.class);
        assertThatThrownBy(b::join).hasMessageContaining("HTTP 500");
        assertThat(tokens.size()).isZero();

        CompletableFuture<BearerToken> again = tokens.token(A);
        assertThat(fetches).hasSize(2);
        fetches.get(1).complete(live("tok-2"));
        assertThat(again.join().value()).isEqualTo("tok-2");
    }

    @Test
    void forgettingDropsOnlyTheTokenThatWasRefused() {
        tokens.token(A);
        BearerToken refused = live("tok-1");
        fetches.get(0).complete(refused);

        // Two attempts got a 401 to tok-1: the first forgets it and fetches anew ...
        tokens.forget(A, refused);
        CompletableFuture<BearerToken> renewed = tokens.token(A);
        assertThat(fetches).hasSize(2);
        // ... the second's forget leaves that fetch alone, and joins it.
        tokens.forget(A, refused);
        assertThat(tokens.token(A)).isSameAs(renewed);
        fetches.get(1).complete(live("tok-2"));
        tokens.forget(A, refused);
        assertThat(tokens.cached(A).value()).isEqualTo("tok-2");
        assertThat(fetches).hasSize(2);
    }

    @Test
    void aTokenIsUsedUntilShortlyBeforeItExpires() {
        long now = System.nanoTime();
        // 10% of 2 s is less than 30 s: used for 1.8 s.
        assertThat(BearerToken.of("t", now, 2).refreshAt() - now).isEqualTo(1_800_000_000L);
        // 10% of an hour is more than 30 s: used for 59.5 minutes.
        assertThat(BearerToken.of("t", now, 3600).refreshAt() - now).isEqualTo(3570_000_000_000L);
        // At most a day, whatever the server says; none for a lifetime of zero or less.
        assertThat(BearerToken.of("t", now, 10_000_000).refreshAt() - now).isEqualTo((86_400 - 30) * 1_000_000_000L);
        assertThat(BearerToken.of("t", now, -5).fresh(now)).isFalse();
        assertThat(BearerToken.of("t", now, 2).fresh(now + 1_700_000_000L)).isTrue();
        assertThat(BearerToken.of("t", now, 2).fresh(now + 1_800_000_000L)).isFalse();
        assertThat(BearerToken.of("secret-token", now, 2)).hasToString("BearerToken[****]");
    }

    private static BearerToken live(String value) {
        return BearerToken.of(value, System.nanoTime(), 3600);
    }
}
