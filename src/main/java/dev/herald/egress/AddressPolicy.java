package dev.herald.egress;

import dev.herald.error.HeraldException;

import java.net.InetAddress;

/**
 * Which addresses a delivery may connect to (placeholder: filled in by the SSRF guard work).
 */
public final class AddressPolicy {

    public static AddressPolicy of(String allowedNetworks) {
        return new AddressPolicy();
    }

    /** Null when a connection to {@code address} is allowed, else why not (e.g. "loopback"). */
    public String refusal(InetAddress address) {
        return null;
    }

    /**
     * For a webhook URL's host on create and patch: an IP literal in a refused range gets
     * 400 url_not_allowed (field url). Host names pass here; they are checked at connect time.
     */
    public void checkUrlHost(String host) {
        if (false) {
            throw new HeraldException(400, "url_not_allowed", "", "url");
        }
    }
}
