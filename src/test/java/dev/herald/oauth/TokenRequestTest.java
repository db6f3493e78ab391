package dev.herald.oauth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** What Herald sends a token server, by client authentication method (RFC 6749 sections 2.3.1 and 4.4.2). */
class TokenRequestTest {

    @Test
    void basicFormUrlencodesTheIdAndTheSecretBeforeJoiningThem() {
        String header = TokenRequest.basic("my client:1", "p@ss:wörd+/=");
        assertThat(header).startsWith("Basic ");
        String pair = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        // The colon inside the id is encoded, so the first raw colon separates the two.
        assertThat(pair).isEqualTo("my+client%3A1:p%40ss%3Aw%C3%B6rd%2B%2F%3D");
    }

    @Test
    void basicSendsNoCredentialsInTheForm() {
        ClientCredentials c = new ClientCredentials("https://auth.example/token", "id", "s3cret", "a b", "https://api.example/",
                ClientCredentials.Method.CLIENT_SECRET_BASIC);
        assertThat(TokenRequest.form(c)).isEqualTo("grant_type=client_credentials&scope=a+b"
                + "&audience=https%3A%2F%2Fapi.example%2F");
    }

    @Test
    void postSendsTheCredentialsInTheForm() {
        ClientCredentials c = new ClientCredentials("https://auth.example/token", "id&x", "s=3", null, null,
                ClientCredentials.Method.CLIENT_SECRET_POST);
        assertThat(TokenRequest.form(c)).isEqualTo("grant_type=client_credentials&client_id=id%26x&client_secret=s%3D3");
    }
}
