package dev.herald.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointLimiterTest {

    private static final String HOST = EndpointLimiter.key("http://receiver.test:8080/hook");

    @Test
    void aFullEndpointParksAndEachEndingAttemptHandsBackTheOldestParked() {
        EndpointLimiter limiter = new EndpointLimiter(1);
        DispatchTicket a = new DispatchTicket("del_a", "t:1", "scheduled");
        DispatchTicket b = new DispatchTicket("del_b", "t:2", "scheduled");
        DispatchTicket c = new DispatchTicket("del_c", "t:3", "scheduled");
        assertThat(limiter.acquireOrPark(HOST, a)).isTrue();
        assertThat(limiter.acquireOrPark(HOST, b)).isFalse();
        assertThat(limiter.acquireOrPark(HOST, c)).isFalse();
        // Another endpoint is not held up by this one.
        assertThat(limiter.acquireOrPark(EndpointLimiter.key("https://other.test/x"), a)).isTrue();
        assertThat(limiter.parked()).isEqualTo(2);

        assertThat(limiter.release(HOST)).isEqualTo(b);
        assertThat(limiter.parked()).isEqualTo(1);
        // The slot is free while nobody holds it: nothing to sweep yet for a full endpoint...
        assertThat(limiter.acquireOrPark(HOST, b)).isTrue();
        assertThat(limiter.unparkFree()).isEmpty();
        assertThat(limiter.release(HOST)).isEqualTo(c);
    }

    @Test
    void aHandedBackTicketThatNeverRunsDoesNotStrandTheOthers() {
        EndpointLimiter limiter = new EndpointLimiter(1);
        DispatchTicket a = new DispatchTicket("del_a", "t:1", "scheduled");
        DispatchTicket b = new DispatchTicket("del_b", "t:2", "scheduled");
        DispatchTicket c = new DispatchTicket("del_c", "t:3", "scheduled");
        limiter.acquireOrPark(HOST, a);
        limiter.acquireOrPark(HOST, b);
        limiter.acquireOrPark(HOST, c);
        // b is handed back but its row was claimed by someone else meanwhile: it is dropped and takes no slot,
        // so no attempt will end to hand c back. The scheduler's sweep does.
        assertThat(limiter.release(HOST)).isEqualTo(b);
        assertThat(limiter.unparkFree()).containsExactly(c);
        assertThat(limiter.parked()).isZero();
        assertThat(limiter.unparkFree()).isEmpty();
    }

    @Test
    void endpointsAreSchemeHostAndPort() {
        assertThat(EndpointLimiter.key("https://Example.TEST/a?b")).isEqualTo("https://example.test:443");
        assertThat(EndpointLimiter.key("http://example.test/a")).isEqualTo("http://example.test:80");
        assertThat(EndpointLimiter.key("http://example.test:9000/a")).isEqualTo("http://example.test:9000");
    }
}
