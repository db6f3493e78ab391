package dev.herald.egress;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * herald.delivery.proxy and herald.delivery.no-proxy: the HTTP proxy deliveries (and token
 * requests) go out through, as the operator set it. The proxy is the operator's choice and is
 * trusted: its own address is not judged by the {@link AddressPolicy}; every receiver's still is,
 * by Herald, before the proxy is asked ({@link ProxyRoutePlanner}). Every receiver is reached
 * through a CONNECT tunnel, http ones too (see {@link ProxyRoutePlanner} for why).
 *
 * <p>{@code password} is never part of {@link #toString()} nor of any error text.
 */
public record EgressProxy(String host, int port, String username, String password, NoProxy noProxy) {

    private static final String SETTING = "herald.delivery.proxy";

    /**
     * The proxy of {@code url} ({@code http://host:port} or {@code http://user:pass@host:port},
     * user and password percent-encoded), or null when {@code url} is empty: deliveries go direct.
     */
    public static EgressProxy parse(String url, String noProxy) {
        if (url == null || url.isBlank()) {
            NoProxy.parse(noProxy); // a malformed setting is an error even while unused
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            // The value may hold a password: the error names its shape, not its text.
            throw new IllegalArgumentException(SETTING + ": not a URL of the form http://[user:password@]host:port");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(SETTING + ": only http:// proxies are supported (got "
                    + (uri.getScheme() == null ? "no scheme" : uri.getScheme() + "://") + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(SETTING + ": no host (http://[user:password@]host:port)");
        }
        if (uri.getPort() < 1) {
            throw new IllegalArgumentException(SETTING + ": give the proxy's port (http://" + uri.getHost() + ":port)");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(SETTING + ": a proxy URL has no path, query or fragment");
        }
        String user = null;
        String pass = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            pass = colon < 0 ? "" : decode(info.substring(colon + 1));
            if (user.isEmpty()) {
                throw new IllegalArgumentException(SETTING + ": credentials without a user name");
            }
        }
        return new EgressProxy(uri.getHost(), uri.getPort(), user, pass, NoProxy.parse(noProxy));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SETTING + ": a bad %-escape in the credentials");
        }
    }

    /** For the startup log: {@code http://****@host:port} when it has credentials. */
    public String masked() {
        return "http://" + (username != null ? "****@" : "") + host + ":" + port;
    }

    @Override
    public String toString() {
        return masked() + (noProxy.isEmpty() ? "" : " (not for " + noProxy + ")");
    }

    /** True when a receiver at {@code host} is reached directly (herald.delivery.no-proxy). */
    public boolean bypasses(String host) {
        return noProxy.matches(host);
    }

    /**
     * The proxy's first hop, its address resolved here (the JDK caches the answer) so the client's
     * DNS resolver, the guard, never sees the proxy's name: the operator's choice, not judged.
     */
    HttpHost firstHop() throws UnknownHostException {
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new HttpHost("http", InetAddress.getByName(literal), host, port);
    }

    /**
     * Routes {@code builder}'s requests through this proxy: the route planner that checks the
     * receiver and plans the tunnel, the marker that tells a proxy's answer from the receiver's,
     * and the proxy's credentials (sent when the proxy asks, 407) when it has any. Every client
     * Herald sends deliveries with is built through here.
     */
    public void configure(HttpAsyncClientBuilder builder, AddressPolicy policy) {
        builder.setRoutePlanner(new ProxyRoutePlanner(this, new GuardedDnsResolver(policy)));
        builder.addExecInterceptorAfter(ChainElement.CONNECT.name(), ProxyTunnel.MARKER_NAME, ProxyTunnel.MARKER);
        if (username != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(null, host, port, null, null),
                    new UsernamePasswordCredentials(username, password.toCharArray()));
            builder.setDefaultCredentialsProvider(credentials);
        }
    }
}
