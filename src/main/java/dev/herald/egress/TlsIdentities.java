package dev.herald.egress;

/**
 * Client TLS identities: checks a webhook's certificate and key at create (mutual TLS).
 */
public final class TlsIdentities {

    private TlsIdentities() {
    }

    /**
     * {@code tls} when its certificate and key are well-formed PEM and belong together; otherwise a
     * 400 naming {@code tls.client_certificate}, {@code tls.client_key} or {@code tls.ca_certificate}.
     */
    public static ClientTls checked(ClientTls tls) {
        return tls; // mTLS part: parse the PEM and check the pair
    }
}
