package dev.herald.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class SecretSealerTest {

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private final SecretSealer sealer = SecretSealer.fromSetting(newKey());

    @Test
    void sealedValueOpensToThePlainTextAndDoesNotContainIt() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String stored = sealer.seal(secret);
        assertThat(stored).startsWith("sealed:v1:").doesNotContain(secret).doesNotContain("MfKQ9r8G");
        assertThat(sealer.unseal(stored)).isEqualTo(secret);
        assertThat(sealer.unseal(sealer.seal("h\u00e9ader \u2713"))).isEqualTo("h\u00e9ader \u2713");
    }

    @Test
    void everySealUsesAFreshNonce() {
        String a = sealer.seal("same secret");
        String b = sealer.seal("same secret");
        assertThat(a).isNotEqualTo(b);
        byte[] nonceA = Base64.getDecoder().decode(a.substring(SecretSealer.MARKER.length()));
        byte[] nonceB = Base64.getDecoder().decode(b.substring(SecretSealer.MARKER.length()));
        assertThat(java.util.Arrays.copyOf(nonceA, 12)).isNotEqualTo(java.util.Arrays.copyOf(nonceB, 12));
        assertThat(sealer.unseal(a)).isEqualTo(sealer.unseal(b)).isEqualTo("same secret");
    }

    @Test
    void anAlteredValueIsRefusedNotOpenedToGarbage() {
        String stored = sealer.seal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] raw = Base64.getDecoder().decode(stored.substring(SecretSealer.MARKER.length()));
        raw[20] ^= 1;
        String tampered = SecretSealer.MARKER + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> sealer.unseal(tampered))
                .isInstanceOf(SecretSealer.SealedSecretException.class)
                .hasMessageContaining("altered");
        assertThatThrownBy(() -> sealer.unseal(SecretSealer.MARKER + "AAAA"))
                .isInstanceOf(SecretSealer.SealedSecretException.class);
    }

    @Test
    void anotherKeyOrNoKeyCannotOpenIt() {
        String stored = sealer.seal("s3cret-value");
        assertThatThrownBy(() -> SecretSealer.fromSetting(newKey()).unseal(stored))
                .isInstanceOf(SecretSealer.SealedSecretException.class)
                .hasMessageContaining("another key");
        assertThatThrownBy(() -> SecretSealer.plain().unseal(stored))
                .isInstanceOf(SecretSealer.SealedSecretException.class)
                .hasMessageContaining("herald.secrets.key is not set");
    }

    @Test
    void withoutAKeyValuesAreStoredAsGivenAndPlainValuesAlwaysRead() {
        SecretSealer plain = SecretSealer.fromSetting("  ");
        assertThat(plain.hasKey()).isFalse();
        assertThat(plain.seal("s3cret")).isEqualTo("s3cret");
        assertThat(plain.unseal("s3cret")).isEqualTo("s3cret");
        // Rows written before the key was set are read as they are.
        assertThat(sealer.unseal("s3cret")).isEqualTo("s3cret");
        assertThat(sealer.seal(null)).isNull();
    }

    @Test
    void aKeyMustBeBase64OfExactly32BytesAndIsNeverEchoed() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> SecretSealer.fromSetting(short16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly 32 bytes")
                .hasMessageNotContaining(short16);
        assertThatThrownBy(() -> SecretSealer.fromSetting("not base64 at all!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not base64")
                .hasMessageNotContaining("at all");
        // The URL alphabet and a missing padding are accepted.
        byte[] key = new byte[32];
        key[0] = (byte) 0xfb;
        assertThat(SecretSealer.fromSetting(Base64.getUrlEncoder().withoutPadding().encodeToString(key)).hasKey()).isTrue();
    }
}
