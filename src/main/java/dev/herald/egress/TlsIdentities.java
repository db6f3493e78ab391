package dev.herald.egress;

import dev.herald.error.HeraldException;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Client TLS identities (mutual TLS): a webhook's certificate and key checked at create, and the
 * SSLContext its deliveries go out with. The context always verifies the receiver's certificate,
 * against the webhook's {@code ca_certificate} alone when it has one, else the JVM's trust store;
 * there is no way to turn that off. Refusals name the field and never quote the PEM.
 */
public final class TlsIdentities {

    private static final String CERT_FIELD = ClientTls.FIELD + ".client_certificate";
    private static final String KEY_FIELD = ClientTls.FIELD + ".client_key";
    private static final String CA_FIELD = ClientTls.FIELD + ".ca_certificate";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_USAGE = "2.5.29.37.0";
    /** The key algorithms a client key may have, the certificate's own tried first. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA");

    private TlsIdentities() {
    }

    /** A certificate chain (leaf first), its key, and the CAs the receiver must chain to (null: the JVM's). */
    record Identity(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> cas) {
    }

    /**
     * {@code tls} when its certificate and key are well-formed PEM, belong together and the
     * certificate is valid now; otherwise a 400 naming {@code tls.client_certificate},
     * {@code tls.client_key} or {@code tls.ca_certificate}.
     */
    public static ClientTls checked(ClientTls tls) {
        if (tls == null) {
            return null;
        }
        Identity id = parse(tls);
        X509Certificate leaf = id.chain().get(0);
        try {
            leaf.checkValidity(new Date());
        } catch (CertificateExpiredException e) {
            throw HeraldException.invalid(CERT_FIELD, "the certificate expired at " + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw HeraldException.invalid(CERT_FIELD, "the certificate is not valid before " + leaf.getNotBefore().toInstant());
        }
        return tls;
    }

    /**
     * The TLS context a webhook's deliveries use: it presents the webhook's certificate and checks
     * the receiver's (host name checks are the HTTP client's, always on: ReceiverClient).
     */
    public static SSLContext sslContext(ClientTls tls) {
        Identity id = parse(tls);
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (id.cas() == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
                cas.load(null, null);
                for (int i = 0; i < id.cas().size(); i++) {
                    cas.setCertificateEntry("ca-" + i, id.cas().get(i));
                }
                trust.init(cas);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new IdentityKeyManager(id.chain(), id.key())},
                    trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up the client certificate: " + e.getMessage(), e);
        }
    }

    static Identity parse(ClientTls tls) {
        List<X509Certificate> chain = certificates(tls.certificate(), CERT_FIELD);
        X509Certificate leaf = chain.get(0);
        forClientAuth(leaf);
        PrivateKey key = key(tls.key(), leaf.getPublicKey());
        List<X509Certificate> cas = tls.caCertificate() == null ? null : certificates(tls.caCertificate(), CA_FIELD);
        return new Identity(List.copyOf(chain), key, cas == null ? null : List.copyOf(cas));
    }

    private static List<X509Certificate> certificates(String pem, String field) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Pem.Block b : Pem.blocks(pem)) {
                if (!b.type().equals("CERTIFICATE")) {
                    throw HeraldException.invalid(field, "holds a " + b.type() + " block; only CERTIFICATE blocks belong here");
                }
                try {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (CertificateException | RuntimeException e) {
                    throw HeraldException.invalid(field, "certificate " + (out.size() + 1) + " is not a valid X.509 certificate");
                }
            }
        } catch (IllegalArgumentException e) {
            throw HeraldException.invalid(field, e.getMessage());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** A certificate whose usages exclude TLS client authentication would be refused by every receiver. */
    private static void forClientAuth(X509Certificate leaf) {
        boolean[] usage = leaf.getKeyUsage();
        if (usage != null && !usage[0]) {
            throw HeraldException.invalid(CERT_FIELD, "the certificate's key usage lacks digitalSignature,"
                    + " which TLS client authentication needs");
        }
        try {
            List<String> extended = leaf.getExtendedKeyUsage();
            if (extended != null && !extended.contains(CLIENT_AUTH) && !extended.contains(ANY_USAGE)) {
                throw HeraldException.invalid(CERT_FIELD, "the certificate is not for client authentication"
                        + " (its extended key usage lacks clientAuth)");
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw HeraldException.invalid(CERT_FIELD, "the certificate's extended key usage cannot be read");
        }
    }

    private static PrivateKey key(String pem, PublicKey certified) {
        byte[] pkcs8 = null;
        try {
            for (Pem.Block b : Pem.blocks(pem)) {
                byte[] der = switch (b.type()) {
                    case "PRIVATE KEY" -> b.der();
                    case "RSA PRIVATE KEY" -> Pem.pkcs8FromRsa(b.der());
                    case "EC PRIVATE KEY" -> Pem.pkcs8FromEc(b.der(), certified.getEncoded());
                    case "EC PARAMETERS" -> null; // openssl ecparam -genkey writes them before the key
                    case "ENCRYPTED PRIVATE KEY" -> throw HeraldException.invalid(KEY_FIELD, "encrypted keys are not"
                            + " supported: give the key unencrypted (Herald seals it at rest when herald.secrets.key is set)");
                    default -> throw HeraldException.invalid(KEY_FIELD, "holds a " + b.type()
                            + " block; expected one PRIVATE KEY (PKCS#8), RSA PRIVATE KEY or EC PRIVATE KEY");
                };
                if (der != null && pkcs8 != null) {
                    throw HeraldException.invalid(KEY_FIELD, "holds more than one private key");
                }
                pkcs8 = der == null ? pkcs8 : der;
            }
        } catch (IllegalArgumentException e) {
            throw HeraldException.invalid(KEY_FIELD, e.getMessage());
        }
        if (pkcs8 == null) {
            throw HeraldException.invalid(KEY_FIELD, "holds no private key");
        }
        Set<String> algorithms = new LinkedHashSet<>();
        algorithms.add(certified.getAlgorithm());
        algorithms.addAll(KEY_ALGORITHMS);
        for (String algorithm : algorithms) {
            PrivateKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | RuntimeException e) {
                continue;
            }
            if (!algorithm.equals(certified.getAlgorithm())) {
                throw HeraldException.invalid(KEY_FIELD, "the key does not match the certificate (the key is "
                        + key.getAlgorithm() + ", the certificate's is " + certified.getAlgorithm() + ")");
            }
            if (!pair(key, certified)) {
                throw HeraldException.invalid(KEY_FIELD, "the key does not match the certificate's public key");
            }
            return key;
        }
        throw HeraldException.invalid(KEY_FIELD, "the key is not a valid RSA, EC or Ed25519 private key");
    }

    /** Whether {@code key} signs what {@code certified} verifies: true only for the two halves of one pair. */
    private static boolean pair(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(challenge);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certified);
            verify.update(challenge);
            return verify.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
