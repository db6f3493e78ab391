package dev.herald.egress;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text as its blocks ({@code -----BEGIN type-----} base64 {@code -----END type-----}), and the
 * two older key encodings (PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY") rewrapped as PKCS#8,
 * the one the JDK's KeyFactory reads. Text between blocks (openssl's "subject=" lines) is ignored.
 * Failures are {@link IllegalArgumentException}s whose messages never quote the input.
 */
final class Pem {

    record Block(String type, byte[] der) {
    }

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)-----END ([A-Z0-9 ]{1,40})-----", Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("(?m)^[A-Za-z-]+:.*$");
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Pem() {
    }

    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.equals(m.group(3))) {
                throw new IllegalArgumentException("a PEM block " + type + " ends as another type");
            }
            if (HEADER.matcher(m.group(2)).find()) {
                // Proc-Type/DEK-Info: an openssl key encrypted with a passphrase.
                throw new IllegalArgumentException("encrypted PEM blocks are not supported: give the key unencrypted"
                        + " (Herald seals it at rest when herald.secrets.key is set)");
            }
            try {
                out.add(new Block(type, Base64.getMimeDecoder().decode(m.group(2).strip())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a PEM block " + type + " is not valid base64");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no PEM block (-----BEGIN ...-----) found");
        }
        return out;
    }

    /** A PKCS#1 RSAPrivateKey as PKCS#8: version 0, rsaEncryption with NULL parameters, the key. */
    static byte[] pkcs8FromRsa(byte[] pkcs1) {
        byte[] algorithm = der(0x30, concat(RSA_OID, new byte[] {0x05, 0x00}));
        return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, pkcs1)));
    }

    /**
     * A SEC1 ECPrivateKey as PKCS#8: its named curve ([0] parameters) moves into the algorithm; a key
     * without one takes the curve of {@code certified} (a SubjectPublicKeyInfo), which the pair check
     * then confirms.
     */
    static byte[] pkcs8FromEc(byte[] sec1, byte[] certified) {
        byte[] curve = null;
        Der key = new Der(sec1, 0);
        if (key.tag != 0x30) {
            throw new IllegalArgumentException("an EC PRIVATE KEY block is not an ECPrivateKey");
        }
        for (int p = key.start; p < key.end; ) {
            Der field = new Der(sec1, p);
            if (field.tag == 0xa0) {
                curve = Arrays.copyOfRange(sec1, field.start, field.end);
            }
            p = field.end;
        }
        byte[] algorithm;
        if (curve != null) {
            algorithm = der(0x30, concat(EC_OID, curve));
        } else {
            Der spki = new Der(certified, 0);
            Der certifiedAlgorithm = new Der(certified, spki.start);
            algorithm = Arrays.copyOfRange(certified, spki.start, certifiedAlgorithm.end);
        }
        return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, sec1)));
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** One DER element's tag and where its content lies; only definite lengths (DER has no others). */
    private static final class Der {
        final int tag;
        final int start;
        final int end;

        Der(byte[] b, int at) {
            try {
                tag = b[at] & 0xff;
                int len = b[at + 1] & 0xff;
                int p = at + 2;
                if (len >= 0x80) {
                    int bytes = len & 0x7f;
                    if (bytes == 0 || bytes > 3) {
                        throw new IllegalArgumentException("a key is not valid DER");
                    }
                    len = 0;
                    for (int i = 0; i < bytes; i++) {
                        len = (len << 8) | (b[p++] & 0xff);
                    }
                }
                start = p;
                end = p + len;
                if (end > b.length) {
                    throw new IllegalArgumentException("a key is not valid DER");
                }
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("a key is not valid DER");
            }
        }
    }
}
