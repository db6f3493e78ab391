package dev.herald.it;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A real self-signed certificate and its private key as PEM text, made by the JDK's keytool (no
 * extra library): what a user pastes into the client certificate form.
 */
record KeytoolPem(String certificate, String key) {

    private static final char[] PASS = "changeit".toCharArray();

    /** A fresh EC P-256 pair for {@code cn}, valid for two days. */
    static KeytoolPem generate(String cn) throws Exception {
        Path dir = Files.createTempDirectory("herald-pem");
        Path store = dir.resolve("client.p12");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASS), "-keypass", new String(PASS))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(store.toFile())) {
                ks.load(in, PASS);
            }
            Certificate cert = ks.getCertificate("client");
            PrivateKey key = (PrivateKey) ks.getKey("client", PASS);
            return new KeytoolPem(pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key.getEncoded()));
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----";
    }

    @Override
    public String toString() {
        return "KeytoolPem[key=****]";
    }
}
