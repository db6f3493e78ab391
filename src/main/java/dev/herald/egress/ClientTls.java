package dev.herald.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.error.HeraldException;

import java.util.Iterator;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The client certificate a webhook presents to its receiver (mutual TLS), as PEM: the certificate
 * (chain), its private key, and optionally the one CA the receiver's certificate must chain to
 * (null: the JVM's trust store). The key is a secret: sealed at rest, never shown after create.
 * A webhook without one has none: {@code null}.
 */
public record ClientTls(String certificate, String key, String caCertificate) {

    public static final String FIELD = "tls";
    /** A PEM block of a certificate chain or key; larger ones are refused at create. */
    public static final int MAX_PEM = 16_384;
    private static final Set<String> FIELDS = Set.of("client_certificate", "client_key", "ca_certificate");

    /**
     * From the request's {@code tls}: null for none; on PATCH an object without {@code client_key}
     * keeps {@code current}'s key (it is never shown, so a form cannot send it back).
     */
    public static ClientTls parse(JsonNode node, ClientTls current) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw HeraldException.invalid(FIELD, "tls must be an object {client_certificate, client_key, ca_certificate?}"
                    + " of PEM text, or null for none");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw HeraldException.invalid(FIELD + "." + f, "unknown field; allowed: client_certificate, client_key,"
                        + " ca_certificate");
            }
        }
        String certificate = pem(node, "client_certificate");
        String key = pem(node, "client_key");
        if (certificate == null) {
            throw HeraldException.invalid(FIELD + ".client_certificate", "client_certificate is required (PEM)");
        }
        if (key == null) {
            if (current == null) {
                throw HeraldException.invalid(FIELD + ".client_key", "client_key is required (PEM)");
            }
            key = current.key();
        }
        return TlsIdentities.checked(new ClientTls(certificate, key, pem(node, "ca_certificate")));
    }

    private static String pem(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw HeraldException.invalid(FIELD + "." + field, field + " must be PEM text");
        }
        if (v.textValue().length() > MAX_PEM) {
            throw HeraldException.invalid(FIELD + "." + field, field + " must be at most " + MAX_PEM + " characters");
        }
        return v.textValue();
    }

    /** The API view: the certificates as given, the key never. */
    public ObjectNode view() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("client_certificate", certificate);
        n.put("client_key", "****");
        n.put("ca_certificate", caCertificate);
        return n;
    }

    /** The stored column: the key passed through {@code seal}. */
    public String toStored(UnaryOperator<String> seal) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("certificate", certificate);
        n.put("key", seal.apply(key));
        n.put("ca", caCertificate);
        return n.toString();
    }

    /** Reads {@link #toStored}'s output back, the key through {@code unseal}; null for none. */
    public static ClientTls fromStored(JsonNode n, UnaryOperator<String> unseal) {
        if (n == null || n.isNull()) {
            return null;
        }
        JsonNode ca = n.get("ca");
        return new ClientTls(n.get("certificate").asText(), unseal.apply(n.get("key").asText()),
                ca == null || ca.isNull() ? null : ca.asText());
    }

    /** The stored key, for the start's check that every sealed value opens. */
    public static String storedKey(JsonNode n) {
        return n.get("key").asText();
    }

    @Override
    public String toString() {
        return "ClientTls[key=****]";
    }
}
