package dev.herald.signing;

import static dev.herald.signing.SignatureVectorsTest.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.error.HeraldException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scheme standard-webhooks-ed25519 (Standard Webhooks v1a) and its whsk_/whpk_ keys. */
class Ed25519SignatureTest {

    /*
     * The published vector of the Standard Webhooks Go library, libraries/go/webhook_asymmetric_test.go,
     * TestAsymmetricWebhookSign (github.com/standard-webhooks/standard-webhooks): the secret there is
     * the base64 seed (whsk_ is this repository's text form of it, as webhook_asymmetric.go reads it).
     */
    private static final String SEED = "VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE =
            "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==";

    private static final SignatureSpec SPEC = SignatureSpec.fromJson(json("{\"scheme\":\"standard-webhooks-ed25519\"}"));

    @Test
    void thePublishedVectorIsReproducedExactly() {
        Map<String, String> headers = SPEC.dialect()
                .sign(new SigningInput(BODY.getBytes(UTF_8), ID, TIMESTAMP, List.of("whsk_" + SEED)));

        assertThat(headers).containsExactly(
                Map.entry("webhook-id", ID),
                Map.entry("webhook-timestamp", "1614265330"),
                Map.entry("webhook-signature", SIGNATURE));
    }

    @Test
    void theVectorsSignatureVerifiesWithTheDerivedPublicKeyThroughTheJdk() throws Exception {
        String publicKey = Ed25519Keys.publicKey("whsk_" + SEED);
        assertThat(publicKey).startsWith("whpk_");
        assertThat(Base64.getDecoder().decode(publicKey.substring(5))).hasSize(32);

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(Ed25519Keys.parsePublicKey(publicKey));
        verifier.update((ID + "." + TIMESTAMP + "." + BODY).getBytes(UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(SIGNATURE.substring(4)))).isTrue();

        verifier.initVerify(Ed25519Keys.parsePublicKey(publicKey));
        verifier.update((ID + "." + (TIMESTAMP + 1) + "." + BODY).getBytes(UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(SIGNATURE.substring(4)))).as("another timestamp").isFalse();
    }

    /** The whpk_ key is the raw 32 bytes the JDK's own key pair generator gives for the same seed. */
    @Test
    void keysRoundTripAgainstTheJdksOwnKeyPairs() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            String secret = "whsk_" + Base64.getEncoder().encodeToString(seed);
            byte[] x509 = pair.getPublic().getEncoded();
            String expected = "whpk_" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(x509, 12, 44));

            assertThat(Ed25519Keys.publicKey(secret)).isEqualTo(expected);
            assertThat(Ed25519Keys.parsePublicKey(expected).getEncoded()).isEqualTo(x509);
            assertThat(Ed25519Keys.privateKey(secret).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        }
    }

    @Test
    void generatedKeysSignWhatTheJdkVerifiesWithEveryLiveKeyDuringRotation() throws Exception {
        String current = Ed25519Keys.generate();
        String previous = Ed25519Keys.generate();
        assertThat(current).startsWith("whsk_").isNotEqualTo(previous);
        assertThat(Base64.getDecoder().decode(current.substring(5))).hasSize(32);
        byte[] body = "{\"id\":\"evt_1\",\"data\":{\"\u00e9\":1}}".getBytes(UTF_8);

        String header = SPEC.dialect().sign(new SigningInput(body, "evt_1", 1700000000L, List.of(current, previous)))
                .get("webhook-signature");
        String[] signatures = header.split(" ");
        assertThat(signatures).hasSize(2).allSatisfy(s -> assertThat(s).startsWith("v1a,"));
        assertThat(verifies(current, signatures[0], body)).isTrue();
        assertThat(verifies(previous, signatures[1], body)).isTrue();
        assertThat(verifies(previous, signatures[0], body)).isFalse();
        // Signed again (the key now comes from the dialect's cache): Ed25519 is deterministic.
        assertThat(SPEC.dialect().sign(new SigningInput(body, "evt_1", 1700000000L, List.of(current)))
                .get("webhook-signature")).isEqualTo(signatures[0]);
    }

    private static boolean verifies(String secret, String signature, byte[] body) throws Exception {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(Ed25519Keys.parsePublicKey(Ed25519Keys.publicKey(secret)));
        verifier.update(("evt_1.1700000000.").getBytes(UTF_8));
        verifier.update(body);
        return verifier.verify(Base64.getDecoder().decode(signature.substring(4)));
    }

    @Test
    void theSchemeTakesNothingConfigurableAndOnlyKeysHeraldMakes() {
        for (String field : List.of("header", "prefix", "encoding")) {
            assertThatThrownBy(() -> SignatureSpec.fromJson(json("{\"scheme\":\"standard-webhooks-ed25519\",\"" + field
                    + "\":\"x\"}"))).isInstanceOfSatisfying(HeraldException.class,
                    e -> assertThat(e.field()).isEqualTo("signature." + field));
        }
        assertThat(SPEC.signatureHeaderNames()).containsExactly("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(SPEC.signsWithKeyPair()).isTrue();
        assertThat(SignatureSpec.defaults().signsWithKeyPair()).isFalse();
        assertThat(SPEC.newSecret()).startsWith("whsk_");
        assertThat(SignatureSpec.defaults().newSecret()).startsWith("whsec_");
        assertThatThrownBy(() -> SPEC.refuseGivenSecret("secret")).isInstanceOfSatisfying(HeraldException.class,
                e -> assertThat(e.getMessage()).contains("generated by Herald for standard-webhooks-ed25519"));
        SignatureSpec.defaults().refuseGivenSecret("secret"); // a shared secret may be given
        SPEC.validateSecret(Ed25519Keys.generate());
        for (String bad : List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsk_" + SEED.substring(4), "whsk_!!")) {
            assertThatThrownBy(() -> SPEC.validateSecret(bad)).isInstanceOf(HeraldException.class);
        }
        assertThat(SignatureSpec.fromStoredJson(SPEC.toStoredJson())).isEqualTo(SPEC);
    }
}
