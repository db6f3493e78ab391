package dev.herald.delivery.flow;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Lease tokens name their instance, fit lease_token VARCHAR(40), and never repeat across runs of one id. */
class LeasesTest {

    @Test
    void tokensNameTheInstanceAndDifferBetweenRunsOfTheSameId() {
        Leases first = new Leases("web-1.4242");
        Leases restarted = new Leases("web-1.4242");
        assertThat(first.next()).startsWith("web-1.4242-").matches("web-1\\.4242-[0-9a-z]{6}:1");
        assertThat(first.next()).endsWith(":2");
        assertThat(restarted.prefix()).isNotEqualTo(first.prefix());
        assertThat(restarted.next()).isNotEqualTo(first.next());
        assertThat(first.mine()).isEqualTo(first.prefix() + ":%");
    }

    @Test
    void anIdIsMadeSafeForLikeAndShortEnoughForTheColumn() {
        Leases odd = new Leases("host_name%with'quotes and a very long name.example.com.123456");
        String token = odd.next();
        assertThat(odd.prefix()).doesNotContain("_", "%", "'", " ");
        // The tail is kept: it carries the process id.
        assertThat(odd.prefix()).contains(".123456-");
        assertThat(token.length() + 7).isLessThanOrEqualTo(40); // room for 2^36 more tokens
    }
}
