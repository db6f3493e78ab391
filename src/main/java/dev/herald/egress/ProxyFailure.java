package dev.herald.egress;

import java.io.IOException;

/**
 * An attempt that failed in Herald's way out, the egress proxy, not at the receiver: the proxy
 * could not be reached, refused the CONNECT (407, 403, 5xx), or the tunnel broke before the
 * receiver answered. Says nothing about the receiver. Its text never holds the proxy's address
 * nor its credentials (the delivery log is read by API users).
 */
public final class ProxyFailure extends IOException {

    ProxyFailure(String what) {
        super("proxy error: " + what);
    }

    ProxyFailure(String what, Throwable cause) {
        super("proxy error: " + what, cause);
    }
}
