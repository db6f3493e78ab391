package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.tenancy.Scope;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What each scope may see and do: the operator everything, an application's key its own rows only. */
class ScopeGuardTest {

    static final Scope A = new Scope.OfApplication("app_A", "key_1", false);
    static final Scope A_READ_ONLY = new Scope.OfApplication("app_A", "key_2", true);

    @Test
    void theOperatorSeesEveryRowAndOwnsWhatItCreates() {
        assertThat(ScopeGuard.sees(Scope.OPERATOR, null)).isTrue();
        assertThat(ScopeGuard.sees(Scope.OPERATOR, "app_B")).isTrue();
        assertThat(ScopeGuard.limitedTo(Scope.OPERATOR)).isEmpty();
        assertThat(ScopeGuard.owner(Scope.OPERATOR)).isNull();
        assertThatCode(() -> ScopeGuard.requireApplication(Scope.OPERATOR, "app_B", "b-uid")).doesNotThrowAnyException();
        assertThatCode(() -> ScopeGuard.requireOperator(Scope.OPERATOR, "GET")).doesNotThrowAnyException();
        assertThatCode(() -> ScopeGuard.requireChange(Scope.OPERATOR)).doesNotThrowAnyException();
    }

    @Test
    void anApplicationSeesOnlyItsOwnRows() {
        assertThat(ScopeGuard.sees(A, "app_A")).isTrue();
        assertThat(ScopeGuard.sees(A, "app_B")).isFalse();
        assertThat(ScopeGuard.sees(A, null)).as("the operator's own").isFalse();
        assertThat(ScopeGuard.limitedTo(A)).contains("app_A");
        assertThat(ScopeGuard.owner(A)).isEqualTo("app_A");
        assertThatCode(() -> ScopeGuard.requireSees(A, "app_A", "webhook", "hook_1")).doesNotThrowAnyException();
        assertThatCode(() -> ScopeGuard.requireApplication(A, "app_A", "a-uid")).doesNotThrowAnyException();
    }

    @Test
    void aRowOfAnotherApplicationOrTheOperatorIsRefusedExactlyAsAMissingOne() {
        HeraldException missing = HeraldException.notFound("webhook", "hook_1");
        for (String owner : new String[] {"app_B", null}) {
            HeraldException refused = catchThrowableOfType(() -> ScopeGuard.requireSees(A, owner, "webhook", "hook_1"),
                    HeraldException.class);
            assertThat(refused).isNotNull();
            assertThat(ApiErrors.json(refused)).isEqualTo(ApiErrors.json(missing));
            assertThat(refused.status()).isEqualTo(404);
        }
        HeraldException otherApp = catchThrowableOfType(() -> ScopeGuard.requireApplication(A, "app_B", "b-uid"),
                HeraldException.class);
        assertThat(ApiErrors.json(otherApp)).isEqualTo(ApiErrors.json(HeraldException.notFound("application", "b-uid")));
    }

    @Test
    void operatorCallsAnswerAnApplicationAsIfNothingWereThere() {
        HeraldException refused = catchThrowableOfType(() -> ScopeGuard.requireOperator(A, "DELETE"), HeraldException.class);
        assertThat(ApiErrors.json(refused)).isEqualTo(ApiErrors.json(ApiErrors.noRoute("DELETE")));
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.code()).isEqualTo("not_found");
    }

    @Test
    void aReadOnlyKeyReadsButChangesNothing() {
        assertThat(ScopeGuard.sees(A_READ_ONLY, "app_A")).isTrue();
        assertThatCode(() -> ScopeGuard.requireChange(A)).doesNotThrowAnyException();
        HeraldException refused = catchThrowableOfType(() -> ScopeGuard.requireChange(A_READ_ONLY), HeraldException.class);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("read_only");
    }
}
