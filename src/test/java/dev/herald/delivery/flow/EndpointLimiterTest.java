package dev.herald.delivery.flow;

import dev.herald.delivery.log.Trigger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointLimiterTest {

    private static final String HOST = EndpointLimiter.key("http://receiver.test:8080/hook");

    @Test
    void anEndingAttemptPassesItsSlotToTheOldestParkedTicket() {
        EndpointLimiter limiter = new EndpointLimiter(1);
        DispatchTicket a = new DispatchTicket("del_a", "t:1", Trigger.SCHEDULED);
        DispatchTicket b = new DispatchTicket("del_b", "t:2", Trigger.SCHEDULED);
        DispatchTicket c = new DispatchTicket("del_c", "t:3", Trigger.SCHEDULED);
        assertThat(limiter.acquireOrPark(HOST, a)).isTrue();
        assertThat(limiter.acquireOrPark(HOST, b)).isFalse();
        assertThat(limiter.acquireOrPark(HOST, c)).isFalse();
        // Another endpoint is not held up by this one.
        assertThat(limiter.acquireOrPark(EndpointLimiter.key("https://other.test/x"), a)).isTrue();
        assertThat(limiter.parked()).isEqualTo(2);

        DispatchTicket handedBack = limiter.release(HOST);
        assertThat(handedBack.deliveryId()).isEqualTo("del_b");
        assertThat(handedBack.permit()).isEqualTo(HOST);
        assertThat(limiter.parked()).isEqualTo(1);
        // The slot went with b: a ticket arriving meanwhile cannot take it.
        assertThat(limiter.inFlight(HOST)).isEqualTo(1);
        assertThat(limiter.acquireOrPark(HOST, new DispatchTicket("del_d", "t:4", Trigger.SCHEDULED))).isFalse();
        assertThat(limiter.unparkFree()).isEmpty();
        assertThat(limiter.release(HOST).deliveryId()).isEqualTo("del_c");
    }

    @Test
    void aHandedBackTicketWithNothingToSendPassesTheSlotOn() {
        EndpointLimiter limiter = new EndpointLimiter(1);
        limiter.acquireOrPark(HOST, new DispatchTicket("del_a", "t:1", Trigger.SCHEDULED));
        limiter.acquireOrPark(HOST, new DispatchTicket("del_b", "t:2", Trigger.SCHEDULED));
        limiter.acquireOrPark(HOST, new DispatchTicket("del_c", "t:3", Trigger.SCHEDULED));
        // b's lease ran out while it was parked: LoadDelivery drops it and releases the slot it holds,
        // which goes straight to c (before, the slot sat idle until the scheduler's next sweep).
        assertThat(limiter.release(HOST).deliveryId()).isEqualTo("del_b");
        assertThat(limiter.release(HOST).deliveryId()).isEqualTo("del_c");
        assertThat(limiter.release(HOST)).isNull();
        assertThat(limiter.inFlight(HOST)).isZero();
        assertThat(limiter.parked()).isZero();
    }

    @Test
    void aTicketThatFindsTheQueueFullGivesTheSlotBackAndTheSweepRetriesIt() {
        EndpointLimiter limiter = new EndpointLimiter(1);
        limiter.acquireOrPark(HOST, new DispatchTicket("del_a", "t:1", Trigger.SCHEDULED));
        limiter.acquireOrPark(HOST, new DispatchTicket("del_b", "t:2", Trigger.SCHEDULED));
        DispatchTicket b = limiter.release(HOST);
        limiter.returnUnqueued(b);
        assertThat(limiter.inFlight(HOST)).isZero();
        assertThat(limiter.parked()).isEqualTo(1);
        assertThat(limiter.unparkFree()).extracting(DispatchTicket::deliveryId, DispatchTicket::permit)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("del_b", HOST));
        assertThat(limiter.inFlight(HOST)).isEqualTo(1);
        assertThat(limiter.parked()).isZero();
    }

    @Test
    void anEndpointParkingItsLimitIsSaturatedAndAskedForAgainAtThreeQuarters() {
        EndpointLimiter limiter = new EndpointLimiter(1, 4, 100);
        java.util.concurrent.atomic.AtomicInteger wakes = new java.util.concurrent.atomic.AtomicInteger();
        limiter.onRoom(wakes::incrementAndGet);
        String other = EndpointLimiter.key("https://other.test/x");
        assertThat(limiter.admissible(HOST)).isEqualTo(5); // a free slot and four places to park
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.saturated(HOST)).isFalse();
            limiter.acquireOrPark(HOST, new DispatchTicket("del_" + i, "t:" + i, Trigger.SCHEDULED));
        }
        assertThat(limiter.saturated(HOST)).isTrue();
        assertThat(limiter.admissible(HOST)).isZero();
        assertThat(limiter.slowKeys()).as("parked, and nothing finished there yet").containsExactly(HOST);
        assertThat(limiter.saturated(other)).isFalse();
        assertThat(limiter.admissible(other)).isEqualTo(5);

        limiter.backlog(HOST); // ingest left its next rows in the database
        limiter.release(HOST); // 3 parked, three quarters of the limit: the scheduler is asked to claim for it
        assertThat(limiter.saturated(HOST)).isFalse();
        assertThat(wakes).hasValue(1);
        assertThat(limiter.admissible(HOST)).isEqualTo(1);
        limiter.release(HOST); // 2 parked: asked once is enough until that claim begins
        assertThat(wakes).hasValue(1);
        assertThat(limiter.admissible(HOST)).isEqualTo(2);
        limiter.claiming();
        limiter.acquireOrPark(HOST, new DispatchTicket("del_5", "t:5", Trigger.SCHEDULED));
        limiter.release(HOST); // the claim did not catch up with it: asked again
        assertThat(wakes).hasValue(2);
        limiter.claiming();
        limiter.caughtUp(key -> true); // a claim saw all its due rows: no more wake-ups
        limiter.acquireOrPark(HOST, new DispatchTicket("del_6", "t:6", Trigger.SCHEDULED));
        limiter.release(HOST);
        assertThat(wakes).hasValue(2);
        assertThat(limiter.slowKeys()).as("two attempts ended a moment ago: it drains fast").isEmpty();
    }

    @Test
    void whenHalfTheQueueIsParkedOnlyEndpointsWithFreeSlotsTakeMore() {
        EndpointLimiter limiter = new EndpointLimiter(1, 100, 3);
        for (int i = 0; i < 4; i++) {
            limiter.acquireOrPark(HOST, new DispatchTicket("del_" + i, "t:" + i, Trigger.SCHEDULED));
        }
        String busy = EndpointLimiter.key("https://busy.test/x");
        limiter.acquireOrPark(busy, new DispatchTicket("del_b", "t:b", Trigger.SCHEDULED));
        String idle = EndpointLimiter.key("https://idle.test/x");
        assertThat(limiter.saturated(HOST)).isTrue();
        assertThat(limiter.saturated(busy)).as("its slot is taken and it could only park").isTrue();
        assertThat(limiter.admissible(busy)).isZero();
        assertThat(limiter.saturated(idle)).isFalse();
        assertThat(limiter.admissible(idle)).isEqualTo(1);
    }

    @Test
    void endpointsAreSchemeHostAndPort() {
        assertThat(EndpointLimiter.key("https://Example.TEST/a?b")).isEqualTo("https://example.test:443");
        assertThat(EndpointLimiter.key("http://example.test/a")).isEqualTo("http://example.test:80");
        assertThat(EndpointLimiter.key("http://example.test:9000/a")).isEqualTo("http://example.test:9000");
    }
}
