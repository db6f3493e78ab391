package dev.herald.egress;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP client's only way from a host name to addresses: it resolves, drops the addresses
 * the policy refuses and hands the client exactly the ones it checked, so a DNS answer that
 * changes between a check and the connect (rebinding) cannot slip through. IP literals come
 * this way too (the JDK returns them without a lookup).
 */
public final class GuardedDnsResolver implements DnsResolver {

    private final AddressPolicy policy;
    private final DnsResolver system = SystemDefaultDnsResolver.INSTANCE;

    public GuardedDnsResolver(AddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] all = system.resolve(host);
        List<InetAddress> allowed = new ArrayList<>(all.length);
        String firstRefusal = null;
        for (InetAddress a : all) {
            String why = policy.refusal(a);
            if (why == null) {
                allowed.add(a);
            } else if (firstRefusal == null) {
                firstRefusal = a.getHostAddress() + " (" + why + ")";
            }
        }
        if (allowed.isEmpty()) {
            throw new AddressNotAllowedException(host, firstRefusal);
        }
        return allowed.toArray(new InetAddress[0]);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        InetAddress[] addresses = resolve(host);
        List<InetSocketAddress> out = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return system.resolveCanonicalHostname(host);
    }

    /** A delivery refused before any connection: the host resolves only to addresses Herald does not call. */
    public static final class AddressNotAllowedException extends UnknownHostException {
        AddressNotAllowedException(String host, String why) {
            super("address not allowed: " + host + " resolves to " + why
                    + " (allow it with herald.delivery.allowed-networks)");
        }
    }
}
