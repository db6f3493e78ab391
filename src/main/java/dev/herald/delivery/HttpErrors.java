package dev.herald.delivery;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

import javax.net.ssl.SSLException;

/** Words for what went wrong on the wire, for the delivery log. */
final class HttpErrors {

    private HttpErrors() {
    }

    static String describe(Throwable e, long timeoutMillis) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return "timeout: no complete response within " + timeoutMillis + " ms";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host: " + t.getMessage();
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "connection refused: " + t.getMessage();
            }
            if (t instanceof SSLException) {
                return "TLS error: " + t.getMessage();
            }
            if (t.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return "the receiver closed the connection without a response";
            }
            if (t instanceof SocketException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("reset")) {
                return "connection reset by the receiver";
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
