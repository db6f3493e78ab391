package dev.herald.egress;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for the mutual TLS tests, made in the test (Bouncy Castle's builder, the JDK's keys):
 * CAs, client certificates (clientAuth) and server certificates (serverAuth, a subject alternative
 * name), each with PEM as a user would paste it into a webhook's {@code tls}.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestPki() {
    }

    /** A certificate and its key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {

        public String certificatePem() {
            return pem("CERTIFICATE", encoded(certificate));
        }

        /** PKCS#8 "PRIVATE KEY". */
        public String keyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }

        /** The older encodings: PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC PRIVATE KEY". */
        public String traditionalKeyPem() {
            try {
                byte[] inner = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
                return pem(key.getAlgorithm().equals("RSA") ? "RSA PRIVATE KEY" : "EC PRIVATE KEY", inner);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** An EC key as openssl writes it: SEC1 with its named curve ([0] parameters). */
        public String opensslEcKeyPem() {
            try {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                        info.parsePrivateKey());
                return pem("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                        info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String subject() {
            return certificate.getSubjectX500Principal().getName();
        }

        /** A server's TLS context: this certificate, and clients trusted when {@code clientCa} signed them. */
        public SSLContext serverContext(Issued clientCa) throws Exception {
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            own.setKeyEntry("server", key, new char[0], new X509Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(own, new char[0]);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("client-ca", clientCa.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        }
    }

    public static Issued ca(String name) throws Exception {
        KeyPair pair = keys("EC");
        X500Name subject = new X500Name("CN=" + name);
        JcaX509v3CertificateBuilder b = builder(subject, subject, pair, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(sign(b, pair.getPrivate()), pair.getPrivate());
    }

    /** A client certificate (EC P-256, RSA 2048 or Ed25519) valid from yesterday for 30 days. */
    public static Issued client(Issued ca, String name, String algorithm) throws Exception {
        return client(ca, name, algorithm, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    }

    public static Issued client(Issued ca, String name, String algorithm, Instant from, Instant until) throws Exception {
        KeyPair pair = keys(algorithm);
        JcaX509v3CertificateBuilder b = builder(issuer(ca), new X500Name("CN=" + name), pair, from, until);
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new Issued(sign(b, ca.key()), pair.getPrivate());
    }

    /** A server certificate for {@code ip} (an IP address SAN) or, with {@code dns}, a host name instead. */
    public static Issued server(Issued ca, String ip, String dns) throws Exception {
        KeyPair pair = keys("EC");
        JcaX509v3CertificateBuilder b = builder(issuer(ca), new X500Name("CN=" + (dns == null ? ip : dns)), pair,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(dns == null
                ? new GeneralName(GeneralName.iPAddress, ip) : new GeneralName(GeneralName.dNSName, dns)));
        return new Issued(sign(b, ca.key()), pair.getPrivate());
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static X500Name issuer(Issued ca) {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static KeyPair keys(String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (!algorithm.equals("Ed25519")) {
            g.initialize(algorithm.equals("RSA") ? 2048 : 256);
        }
        return g.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair, Instant from,
                                                       Instant until) {
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from),
                Date.from(until), subject, pair.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
