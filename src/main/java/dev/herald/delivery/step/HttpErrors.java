package dev.herald.delivery.step;

import dev.herald.delivery.log.AttemptKind;
import dev.herald.egress.GuardedDnsResolver;
import dev.herald.egress.ProxyFailure;
import dev.herald.egress.ReceiverClient;

import org.apache.hc.core5.http.MessageConstraintException;

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

    static String timeout(long timeoutMillis) {
        return "timeout: no complete response within " + timeoutMillis + " ms";
    }

    /** A failure on the wire, in time: what it came to, in words for the log. */
    static Verdict onTheWire(Throwable e, long timeoutMillis) {
        return Verdict.failed(kind(e), describe(e, timeoutMillis));
    }

    /** The egress proxy's failure in {@code e}'s causes, or null: the receiver is not to blame. */
    static Verdict proxyFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProxyFailure) {
                return Verdict.failed(AttemptKind.EGRESS, t.getMessage());
            }
        }
        return null;
    }

    /** No connection made, no response in time, or another failure. */
    private static AttemptKind kind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GuardedDnsResolver.AddressNotAllowedException || t instanceof UnknownHostException
                    || t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return AttemptKind.REFUSED;
            }
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return AttemptKind.TIMEOUT;
            }
        }
        return AttemptKind.FAILURE;
    }

    private static String describe(Throwable e, long timeoutMillis) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GuardedDnsResolver.AddressNotAllowedException) {
                return t.getMessage() + "; nothing was sent";
            }
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return timeout(timeoutMillis);
            }
            if (t instanceof MessageConstraintException) {
                return "the response headers exceed Herald's limits (" + ReceiverClient.MAX_RESPONSE_HEADERS
                        + " lines of at most " + ReceiverClient.MAX_HEADER_LINE + " bytes): " + t.getMessage();
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
