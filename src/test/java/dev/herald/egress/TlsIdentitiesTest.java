package dev.herald.egress;

import dev.herald.error.HeraldException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A webhook's client certificate as the API checks it at create: which PEM is taken, which is
 * refused under which field, and that no refusal quotes the key.
 */
class TlsIdentitiesTest {

    static TestPki.Issued ca;
    static TestPki.Issued ec;
    static TestPki.Issued rsa;
    static TestPki.Issued otherEc;
    static TestPki.Issued ed;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("Identities Test CA");
        ec = TestPki.client(ca, "ec-client", "EC");
        rsa = TestPki.client(ca, "rsa-client", "RSA");
        otherEc = TestPki.client(ca, "other-ec-client", "EC");
        ed = TestPki.client(ca, "ed-client", "Ed25519");
    }

    @Test
    void pkcs8Pkcs1AndSec1KeysAreTakenWithTheirCertificatesAndMakeAContext() {
        for (ClientTls tls : new ClientTls[] {
            new ClientTls(ec.certificatePem(), ec.keyPem(), null),
            new ClientTls(ec.certificatePem(), ec.traditionalKeyPem(), ca.certificatePem()),
            new ClientTls(ec.certificatePem(), ec.opensslEcKeyPem(), null),
            new ClientTls(rsa.certificatePem(), rsa.keyPem(), ca.certificatePem()),
            new ClientTls(rsa.certificatePem(), rsa.traditionalKeyPem(), null),
            new ClientTls(ed.certificatePem(), ed.keyPem(), null),
            // A chain (leaf first), and text around the blocks as openssl writes it.
            new ClientTls("subject=CN = ec-client\n" + ec.certificatePem() + ca.certificatePem(),
                    "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + ec.opensslEcKeyPem(),
                    null)}) {
            assertThat(TlsIdentities.checked(tls)).isSameAs(tls);
            SSLContext context = TlsIdentities.sslContext(tls);
            assertThat(context.getProtocol()).isEqualTo("TLS");
            java.security.PrivateKey read = TlsIdentities.parse(tls).key();
            java.security.PrivateKey given = (tls.certificate().contains(rsa.certificatePem()) ? rsa
                    : tls.certificate().contains(ed.certificatePem()) ? ed : ec).key();
            assertThat(secret(read)).isEqualTo(secret(given));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n"})
    void aMalformedCertificateIsRefusedUnderClientCertificate(String pem) {
        assertRefused(new ClientTls(pem, ec.keyPem(), null), "tls.client_certificate", "");
    }

    @Test
    void aKeyPastedAsTheCertificateIsRefusedWithoutQuotingIt() {
        String message = assertRefused(new ClientTls(ec.keyPem(), ec.keyPem(), null), "tls.client_certificate",
                "only CERTIFICATE blocks");
        assertThat(message).doesNotContain(keyBase64(ec));
    }

    @Test
    void aMalformedKeyIsRefusedUnderClientKey() {
        assertRefused(new ClientTls(ec.certificatePem(), "garbage", null), "tls.client_key", "no PEM block");
        assertRefused(new ClientTls(ec.certificatePem(), TestPki.pem("PRIVATE KEY", new byte[] {1, 2, 3}), null),
                "tls.client_key", "not a valid");
        assertRefused(new ClientTls(ec.certificatePem(), ec.certificatePem(), null), "tls.client_key", "CERTIFICATE block");
        assertRefused(new ClientTls(ec.certificatePem(), TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {48, 0}), null),
                "tls.client_key", "encrypted keys are not supported");
        assertRefused(new ClientTls(ec.certificatePem(), ec.keyPem() + otherEc.keyPem(), null), "tls.client_key",
                "more than one");
    }

    @Test
    void anEd25519KeyIsNotTakenForAnEcCertificate() {
        assertRefused(new ClientTls(ec.certificatePem(), ed.keyPem(), null), "tls.client_key", "does not match the certificate");
        assertRefused(new ClientTls(ed.certificatePem(), ec.keyPem(), null), "tls.client_key", "does not match the certificate");
    }

    @Test
    void anotherKeyOfTheSameOrAnotherTypeDoesNotMatch() {
        String same = assertRefused(new ClientTls(ec.certificatePem(), otherEc.keyPem(), null), "tls.client_key",
                "does not match the certificate");
        String other = assertRefused(new ClientTls(ec.certificatePem(), rsa.keyPem(), null), "tls.client_key",
                "does not match the certificate");
        assertThat(same + other).doesNotContain(keyBase64(otherEc)).doesNotContain(keyBase64(rsa));
    }

    @Test
    void anExpiredOrNotYetValidCertificateIsRefusedSayingWhen() throws Exception {
        Instant expiredAt = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        TestPki.Issued expired = TestPki.client(ca, "expired", "EC", expiredAt.minus(Duration.ofDays(30)), expiredAt);
        assertRefused(new ClientTls(expired.certificatePem(), expired.keyPem(), null), "tls.client_certificate",
                "the certificate expired at " + expiredAt);
        Instant from = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        TestPki.Issued future = TestPki.client(ca, "future", "EC", from, from.plus(Duration.ofDays(30)));
        assertRefused(new ClientTls(future.certificatePem(), future.keyPem(), null), "tls.client_certificate",
                "not valid before " + from);
    }

    @Test
    void aServerOnlyCertificateIsNotAClientCertificate() throws Exception {
        TestPki.Issued server = TestPki.server(ca, "127.0.0.1", null);
        TestPki.Issued withClientAuth = TestPki.client(ca, "c", "EC");
        assertThat(TlsIdentities.checked(new ClientTls(withClientAuth.certificatePem(), withClientAuth.keyPem(), null)))
                .isNotNull();
        assertRefused(new ClientTls(server.certificatePem(), server.keyPem(), null), "tls.client_certificate",
                "not for client authentication");
    }

    @Test
    void aMalformedCaIsRefusedUnderCaCertificate() {
        assertRefused(new ClientTls(ec.certificatePem(), ec.keyPem(), "nope"), "tls.ca_certificate", "no PEM block");
        assertRefused(new ClientTls(ec.certificatePem(), ec.keyPem(),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"), "tls.ca_certificate", "not a valid X.509");
        String message = assertRefused(new ClientTls(ec.certificatePem(), ec.keyPem(), ec.keyPem()), "tls.ca_certificate",
                "only CERTIFICATE blocks");
        assertThat(message).doesNotContain(keyBase64(ec));
    }

    @Test
    void theRecordNeverPrintsItsKey() {
        ClientTls tls = new ClientTls(ec.certificatePem(), ec.keyPem(), null);
        assertThat(tls.toString()).doesNotContain(keyBase64(ec)).contains("****");
        assertThat(tls.view().toString()).doesNotContain(keyBase64(ec)).contains("\"client_key\":\"****\"");
    }

    private static java.math.BigInteger secret(java.security.PrivateKey k) {
        if (k instanceof java.security.interfaces.EdECPrivateKey e) {
            return new java.math.BigInteger(1, e.getBytes().orElseThrow());
        }
        return k instanceof java.security.interfaces.RSAPrivateKey r ? r.getPrivateExponent()
                : ((java.security.interfaces.ECPrivateKey) k).getS();
    }

    private static String assertRefused(ClientTls tls, String field, String says) {
        HeraldException e = (HeraldException) org.assertj.core.api.Assertions.catchThrowable(() -> TlsIdentities.checked(tls));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(says);
        return e.getMessage();
    }

    /** 40 characters of the key's secret part (past the header every key of its type shares). */
    private static String keyBase64(TestPki.Issued issued) {
        return Base64.getEncoder().encodeToString(issued.key().getEncoded()).substring(48, 88);
    }

    @Test
    void nullIsNone() {
        assertThat(TlsIdentities.checked(null)).isNull();
        assertThatThrownBy(() -> TlsIdentities.checked(new ClientTls("", "", null))).isInstanceOf(HeraldException.class);
    }
}
