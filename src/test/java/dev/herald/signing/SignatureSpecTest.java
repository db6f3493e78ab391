package dev.herald.signing;

import static dev.herald.signing.SignatureVectorsTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.herald.error.HeraldException;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class SignatureSpecTest {

    private static final SignatureSpec DEFAULTS = new SignatureSpec("hmac-sha256", "X-Webhook-Signature", "", "hex");

    @Test
    void absentSpecMeansDefaults() {
        assertThat(SignatureSpec.defaults()).isEqualTo(DEFAULTS);
        assertThat(SignatureSpec.fromJson(null)).isEqualTo(DEFAULTS);
        assertThat(SignatureSpec.fromJson(MissingNode.getInstance())).isEqualTo(DEFAULTS);
        assertThat(SignatureSpec.fromJson(NullNode.getInstance())).isEqualTo(DEFAULTS);
        assertThat(SignatureSpec.fromJson(json("{}"))).isEqualTo(DEFAULTS);
        assertThat(SignatureSpec.fromJson(json("{\"scheme\":\"hmac-sha256\",\"prefix\":null}"))).isEqualTo(DEFAULTS);
    }

    @Test
    void parsesEachScheme() {
        assertThat(SignatureSpec.fromJson(json(
                "{\"scheme\":\"hmac-sha256\",\"header\":\"X-Axoria-Signature\",\"prefix\":\"sha256=\",\"encoding\":\"base64\"}")))
                .isEqualTo(new SignatureSpec("hmac-sha256", "X-Axoria-Signature", "sha256=", "base64"));
        assertThat(SignatureSpec.fromJson(json("{\"scheme\":\"timestamped\"}")))
                .isEqualTo(new SignatureSpec("timestamped", "X-Webhook-Signature", null, null));
        assertThat(SignatureSpec.fromJson(json("{\"scheme\":\"timestamped\",\"header\":\"Stripe-Signature\"}")).header())
                .isEqualTo("Stripe-Signature");
        assertThat(SignatureSpec.fromJson(json("{\"scheme\":\"standard-webhooks\"}")))
                .isEqualTo(new SignatureSpec("standard-webhooks", null, null, null));
    }

    @Test
    void dialectMatchesScheme() {
        assertThat(SignatureSpec.defaults().dialect()).isInstanceOf(HmacSha256Dialect.class);
        assertThat(new SignatureSpec("timestamped", null, null, null).dialect()).isInstanceOf(TimestampedDialect.class);
        assertThat(new SignatureSpec("standard-webhooks", null, null, null).dialect())
                .isInstanceOf(StandardWebhooksDialect.class);
    }

    @Test
    void signatureHeaderNames() {
        assertThat(SignatureSpec.defaults().signatureHeaderNames()).containsExactly("X-Webhook-Signature");
        assertThat(new SignatureSpec("timestamped", "Stripe-Signature", null, null).signatureHeaderNames())
                .containsExactly("Stripe-Signature");
        assertThat(new SignatureSpec("standard-webhooks", null, null, null).signatureHeaderNames())
                .containsExactly("webhook-id", "webhook-timestamp", "webhook-signature");
    }

    @Test
    void apiViewShowsOnlyMeaningfulFields() {
        assertThat(SignatureSpec.defaults().toJson().toString())
                .isEqualTo("{\"scheme\":\"hmac-sha256\",\"header\":\"X-Webhook-Signature\",\"prefix\":\"\",\"encoding\":\"hex\"}");
        assertThat(new SignatureSpec("timestamped", null, null, null).toJson().toString())
                .isEqualTo("{\"scheme\":\"timestamped\",\"header\":\"X-Webhook-Signature\"}");
        assertThat(new SignatureSpec("standard-webhooks", null, null, null).toJson().toString())
                .isEqualTo("{\"scheme\":\"standard-webhooks\"}");
    }

    @Test
    void storedJsonRoundTrips() {
        for (SignatureSpec spec : List.of(SignatureSpec.defaults(),
                new SignatureSpec("hmac-sha256", "X-Hub-Signature-256", "sha256=", "hex"),
                new SignatureSpec("hmac-sha256", "Sig", "v0 = \"x\"", "base64"),
                new SignatureSpec("timestamped", "Stripe-Signature", null, null),
                new SignatureSpec("standard-webhooks", null, null, null))) {
            assertThat(SignatureSpec.fromStoredJson(spec.toStoredJson())).isEqualTo(spec);
            // The API view can be sent back as is.
            assertThat(SignatureSpec.fromJson(spec.toJson())).isEqualTo(spec);
        }
        assertThat(SignatureSpec.fromStoredJson(null)).isEqualTo(DEFAULTS);
        assertThat(SignatureSpec.fromStoredJson(" ")).isEqualTo(DEFAULTS);
        assertThatThrownBy(() -> SignatureSpec.fromStoredJson("{not json"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void specMustBeAnObject() {
        expectInvalid("[]", "signature");
        expectInvalid("\"hmac-sha256\"", "signature");
    }

    @Test
    void unknownFieldsAreNamed() {
        expectInvalid("{\"scheme\":\"hmac-sha256\",\"algo\":\"sha1\",\"secret\":\"x\"}", "signature.algo")
                .hasMessageContaining("algo").hasMessageContaining("secret");
    }

    @Test
    void schemeMustBeKnown() {
        expectInvalid("{\"scheme\":\"hmac-sha1\"}", "signature.scheme").hasMessageContaining("hmac-sha1");
        expectInvalid("{\"scheme\":\"HMAC-SHA256\"}", "signature.scheme");
        expectInvalid("{\"scheme\":3}", "signature.scheme");
    }

    @Test
    void encodingMustBeKnown() {
        expectInvalid("{\"encoding\":\"base32\"}", "signature.encoding").hasMessageContaining("hex or base64");
        expectInvalid("{\"encoding\":true}", "signature.encoding");
    }

    @Test
    void headerMustBeAnAllowedToken() {
        expectInvalid("{\"header\":\"\"}", "signature.header");
        expectInvalid("{\"header\":\"X Signature\"}", "signature.header");
        expectInvalid("{\"header\":\"X-Sig:\"}", "signature.header");
        expectInvalid("{\"header\":\"X-Sig\\n\"}", "signature.header");
        expectInvalid("{\"header\":\"X-Sig\u00e9\"}", "signature.header");
        expectInvalid("{\"header\":\"" + "X".repeat(101) + "\"}", "signature.header");
        assertThat(SignatureSpec.fromJson(json("{\"header\":\"" + "X".repeat(100) + "\"}")).header()).hasSize(100);
        assertThat(SignatureSpec.fromJson(json("{\"header\":\"x!#$%&'*+-.^_`|~9\"}")).header())
                .isEqualTo("x!#$%&'*+-.^_`|~9");
        for (String reserved : List.of("Content-Type", "content-length", "HOST", "Transfer-Encoding",
                "Connection", "User-Agent")) {
            expectInvalid("{\"header\":\"" + reserved + "\"}", "signature.header");
            expectInvalid("{\"scheme\":\"timestamped\",\"header\":\"" + reserved + "\"}", "signature.header");
        }
    }

    @Test
    void headerAndPrefixFollowTheRulesOfEveryHeaderAWebhookAdds() {
        for (String name : List.of("CamelHttpUri", "camelHttpPath", "CAMELX", "Keep-Alive", "TE", "Upgrade",
                "Proxy-Authorization", "Trailer", "X-Webhook-Id", "x-webhook-delivery", "X-Webhook-Attempt")) {
            expectInvalid("{\"header\":\"" + name + "\"}", "signature.header");
            expectInvalid("{\"scheme\":\"timestamped\",\"header\":\"" + name + "\"}", "signature.header");
        }
        expectInvalid("{\"prefix\":\"{{herald.api.keys}}\"}", "signature.prefix").hasMessageContaining("{{");
        expectInvalid("{\"prefix\":\"sig={{x}}\"}", "signature.prefix");
        assertThat(SignatureSpec.fromJson(json("{\"header\":\"X-Camel\",\"prefix\":\"{x}=\"}")).header())
                .isEqualTo("X-Camel");
    }

    @Test
    void aStoredSpecFromBeforeTheHeaderRulesStillLoads() {
        // Rows saved before the rules must not make every read of the webhook fail; the delivery drops
        // a Camel* header (SetRequest) and a PATCH of signature must then follow the rules.
        String stored = "{\"scheme\":\"hmac-sha256\",\"header\":\"CamelHttpUri\",\"prefix\":\"{{x}}\",\"encoding\":\"hex\"}";
        assertThat(SignatureSpec.fromStoredJson(stored)).isEqualTo(new SignatureSpec("hmac-sha256", "CamelHttpUri", "{{x}}", "hex"));
    }

    @Test
    void prefixMustBeShortPrintableAscii() {
        expectInvalid("{\"prefix\":\"sha256=\\u0000\"}", "signature.prefix");
        expectInvalid("{\"prefix\":\"sha256=\\r\\nX-Evil: 1\"}", "signature.prefix");
        expectInvalid("{\"prefix\":\"sha256=\\u007f\"}", "signature.prefix");
        expectInvalid("{\"prefix\":\"\u00e9=\"}", "signature.prefix");
        expectInvalid("{\"prefix\":\"" + "p".repeat(51) + "\"}", "signature.prefix");
        expectInvalid("{\"prefix\":\" sha256=\"}", "signature.prefix");
        assertThat(SignatureSpec.fromJson(json("{\"prefix\":\"" + "p".repeat(50) + "\"}")).prefix()).hasSize(50);
    }

    @Test
    void fieldsTheSchemeDoesNotUseAreRejected() {
        expectInvalid("{\"scheme\":\"standard-webhooks\",\"header\":\"X-Sig\"}", "signature.header")
                .hasMessageContaining("webhook-signature");
        expectInvalid("{\"scheme\":\"standard-webhooks\",\"prefix\":\"\"}", "signature.prefix");
        expectInvalid("{\"scheme\":\"standard-webhooks\",\"encoding\":\"base64\"}", "signature.encoding");
        expectInvalid("{\"scheme\":\"timestamped\",\"prefix\":\"sha256=\"}", "signature.prefix");
        expectInvalid("{\"scheme\":\"timestamped\",\"encoding\":\"hex\"}", "signature.encoding");
    }

    @Test
    void standardWebhooksSecretMustBeWhsecBase64Of24To64Bytes() {
        SignatureSpec sw = new SignatureSpec("standard-webhooks", null, null, null);
        assertThatCode(() -> sw.validateSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).doesNotThrowAnyException();
        assertThatCode(() -> sw.validateSecret("whsec_" + b64(64))).doesNotThrowAnyException();

        expectInvalidSecret(sw, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").hasMessageContaining("whsec_");
        expectInvalidSecret(sw, "whsec_not base64!").hasMessageContaining("base64");
        expectInvalidSecret(sw, "whsec_" + b64(23)).hasMessageContaining("24 to 64");
        expectInvalidSecret(sw, "whsec_" + b64(65)).hasMessageContaining("24 to 64");
        expectInvalidSecret(sw, "whsec_");
        expectInvalidSecret(sw, "");
        expectInvalidSecret(sw, null);
    }

    @Test
    void otherSchemesTakeAnyPrintableSecretUpTo256Chars() {
        for (SignatureSpec spec : List.of(SignatureSpec.defaults(), new SignatureSpec("timestamped", null, null, null))) {
            assertThatCode(() -> spec.validateSecret("It's a Secret to Everybody")).doesNotThrowAnyException();
            assertThatCode(() -> spec.validateSecret("s".repeat(256))).doesNotThrowAnyException();
            expectInvalidSecret(spec, "");
            expectInvalidSecret(spec, null);
            expectInvalidSecret(spec, "s".repeat(257));
            expectInvalidSecret(spec, "line\nbreak");
            expectInvalidSecret(spec, "caf\u00e9");
        }
    }

    @Test
    void generatedSecretsAreValidForEveryScheme() {
        for (int i = 0; i < 50; i++) {
            String secret = Secrets.generate();
            assertThat(secret).startsWith("whsec_").hasSize(6 + 44);
            for (String scheme : List.of("hmac-sha256", "timestamped", "standard-webhooks")) {
                assertThatCode(() -> new SignatureSpec(scheme, null, null, null).validateSecret(secret))
                        .as(scheme).doesNotThrowAnyException();
            }
        }
        assertThat(Secrets.generate()).isNotEqualTo(Secrets.generate());
    }

    @Test
    void masksSecrets() {
        assertThat(Secrets.mask("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isEqualTo("whsec_****LaSw");
        assertThat(Secrets.mask("It's a Secret to Everybody")).isEqualTo("****body");
        assertThat(Secrets.mask("whsec_short")).isEqualTo("whsec_****");
        assertThat(Secrets.mask("short")).isEqualTo("****");
        assertThat(Secrets.mask(null)).isNull();
    }

    private static String b64(int bytes) {
        return java.util.Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> expectInvalid(String specJson, String field) {
        return assertThatThrownBy(() -> SignatureSpec.fromJson(json(specJson)))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo(field);
                });
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> expectInvalidSecret(SignatureSpec spec, String secret) {
        return assertThatThrownBy(() -> spec.validateSecret(secret))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("secret");
                });
    }
}
