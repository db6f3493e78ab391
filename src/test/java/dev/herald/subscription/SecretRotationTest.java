package dev.herald.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.error.HeraldException;
import dev.herald.signing.SignatureSpec;
import dev.herald.subscription.Webhook.PreviousSecret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRotationTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L;

    private static Webhook webhook(String secret) {
        return new Webhook("hook_1", "https://example.test/h", List.of("*"), secret, List.of(), true, null, null,
                null, null, SignatureSpec.defaults(), Webhook.ENVELOPE, null, Map.of(), null, null, null, T0, T0);
    }

    @Test
    void rotatingTwiceWithinTheGracePeriodKeepsEachPreviousSecretUntilItsOwnExpiry() {
        Webhook once = SecretRotation.rotated(webhook("s0"), "s1", 24 * HOUR, T0);
        Webhook twice = SecretRotation.rotated(once, "s2", 24 * HOUR, T0 + HOUR);
        assertThat(twice.previousSecrets()).containsExactly(
                new PreviousSecret("s1", T0 + 25 * HOUR), new PreviousSecret("s0", T0 + 24 * HOUR));
        assertThat(twice.signingSecrets(T0 + 2 * HOUR)).containsExactly("s2", "s1", "s0");
        assertThat(twice.signingSecrets(T0 + 24 * HOUR)).containsExactly("s2", "s1");
        assertThat(twice.signingSecrets(T0 + 25 * HOUR)).containsExactly("s2");
    }

    @Test
    void aGracePeriodOfZeroEndsEveryOldSecretAndAShorterOneCapsThem() {
        Webhook once = SecretRotation.rotated(webhook("s0"), "s1", 24 * HOUR, T0);
        assertThat(SecretRotation.rotated(once, "s2", 0, T0 + HOUR).signingSecrets(T0 + HOUR)).containsExactly("s2");
        Webhook capped = SecretRotation.rotated(once, "s2", HOUR, T0 + HOUR);
        assertThat(capped.previousSecrets()).containsExactly(
                new PreviousSecret("s1", T0 + 2 * HOUR), new PreviousSecret("s0", T0 + 2 * HOUR));
    }

    @Test
    void expiredAndRepeatedSecretsAreNotKept() {
        Webhook once = SecretRotation.rotated(webhook("s0"), "s1", HOUR, T0);
        // s0 expired before this rotation; rotating back to s0 does not list it as previous either.
        Webhook later = SecretRotation.rotated(once, "s0", HOUR, T0 + 2 * HOUR);
        assertThat(later.previousSecrets()).containsExactly(new PreviousSecret("s1", T0 + 3 * HOUR));
        assertThat(SecretRotation.rotated(later, "s1", HOUR, T0 + 2 * HOUR).signingSecrets(T0 + 2 * HOUR))
                .containsExactly("s1", "s0");
    }

    @Test
    void moreThanTenLiveOldSecretsIsAConflictNotASilentDrop() {
        Webhook w = webhook("s0");
        for (int i = 1; i <= SecretRotation.MAX_PREVIOUS; i++) {
            w = SecretRotation.rotated(w, "s" + i, HOUR, T0 + i);
        }
        assertThat(w.previousSecrets()).hasSize(SecretRotation.MAX_PREVIOUS);
        Webhook full = w;
        assertThatThrownBy(() -> SecretRotation.rotated(full, "s11", HOUR, T0 + 11))
                .isInstanceOf(HeraldException.class)
                .satisfies(e -> assertThat(((HeraldException) e).status()).isEqualTo(409));
        assertThat(SecretRotation.rotated(full, "s11", 0, T0 + 11).previousSecrets()).isEmpty();
    }
}
