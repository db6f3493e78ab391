package dev.herald.egress;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.routing.HttpRoutePlanner;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.URIAuthority;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The route of each request when a proxy is set. With a proxy the client resolves only the proxy's
 * name, so the guard must judge the receiver here: its name is resolved and every address checked
 * ({@link GuardedDnsResolver}, the same refusal and error text as a direct connection) before the
 * proxy is asked for anything. The proxy is then asked for the checked address, not the name: it
 * cannot resolve the name again to somewhere else (DNS rebinding). An https receiver's certificate
 * is still verified against its name (the route's target name).
 *
 * <p>Every receiver is reached through a CONNECT tunnel, http ones too: the proxy's own answers
 * (407, 403, 502 ...) then come as the answer to CONNECT, never mistaken for the receiver's, which
 * is what keeps a proxy's failure from counting against a receiver ({@link ProxyTunnel}); and the
 * request goes out byte for byte as it would directly. The proxy must allow CONNECT to the
 * receivers' ports (not only 443).
 *
 * <p>A receiver that herald.delivery.no-proxy names goes direct, judged at connect as always.
 */
final class ProxyRoutePlanner implements HttpRoutePlanner {

    private final EgressProxy proxy;
    private final GuardedDnsResolver guard;

    ProxyRoutePlanner(EgressProxy proxy, GuardedDnsResolver guard) {
        this.proxy = proxy;
        this.guard = guard;
    }

    @Override
    public HttpRoute determineRoute(HttpHost target, HttpContext context) throws HttpException {
        return determineRoute(target, null, context);
    }

    @Override
    public HttpRoute determineRoute(HttpHost host, HttpRequest request, HttpContext context) throws HttpException {
        if (host == null) {
            throw new ProtocolException("Target host is not specified");
        }
        int port = DefaultSchemePortResolver.INSTANCE.resolve(host);
        if (port < 0) {
            throw new ProtocolException("Unroutable protocol scheme: " + host);
        }
        HttpHost target = new HttpHost(host.getSchemeName(), host.getHostName(), port);
        boolean secure = "https".equalsIgnoreCase(target.getSchemeName());
        URIAuthority name = new URIAuthority(target.getHostName(), port);
        if (proxy.bypasses(target.getHostName())) {
            return new HttpRoute(target, secure ? name : null, null, secure);
        }
        InetAddress checked;
        try {
            checked = guard.resolve(target.getHostName())[0];
        } catch (UnknownHostException e) {
            throw new Refused(e); // address not allowed, or no such host: the receiver's
        }
        HttpHost hop;
        try {
            hop = proxy.firstHop();
        } catch (UnknownHostException e) {
            throw new Refused(new ProxyFailure("the proxy's host name does not resolve"));
        }
        if (context != null) {
            context.setAttribute(ProxyTunnel.PROXIED, Boolean.TRUE);
        }
        HttpHost pinned = new HttpHost(target.getSchemeName(), checked, literal(checked), port);
        return new HttpRoute(pinned, secure ? name : null, null, new HttpHost[] {hop}, secure,
                RouteInfo.TunnelType.TUNNELLED, secure ? RouteInfo.LayerType.LAYERED : RouteInfo.LayerType.PLAIN);
    }

    /** How the proxy is asked for the address: IPv6 in brackets comes from HttpHost itself. */
    private static String literal(InetAddress a) {
        String text = a.getHostAddress();
        int zone = a instanceof Inet6Address ? text.indexOf('%') : -1;
        return zone < 0 ? text : text.substring(0, zone);
    }

    /**
     * The receiver refused before any connection (the route planner may throw only HttpException):
     * the cause, an {@link GuardedDnsResolver.AddressNotAllowedException}, an unknown host or a
     * {@link ProxyFailure} (the proxy's name does not resolve), is what the delivery log reports.
     */
    static final class Refused extends HttpException {
        Refused(java.io.IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
