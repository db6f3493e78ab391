package dev.herald.delivery.flow;

import dev.herald.delivery.log.Trigger;
import dev.herald.event.StoredEvent;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchLanesTest {

    final CamelContext context = new DefaultCamelContext();

    Exchange ticket(String id, int attempts) {
        Exchange e = new DefaultExchange(context);
        StoredEvent event = new StoredEvent("evt_" + id, "t", 0, "{}", 0);
        e.getIn().setBody(new DispatchTicket(id, "lease", Trigger.SCHEDULED, new DispatchTicket.Fresh(event, "hook", 0, attempts)));
        return e;
    }

    static String id(Exchange e) {
        return e.getIn().getBody(DispatchTicket.class).deliveryId();
    }

    List<String> takeAll(DispatchLanes lanes) throws InterruptedException {
        List<String> out = new ArrayList<>();
        Exchange e;
        while ((e = lanes.poll(0, TimeUnit.MILLISECONDS)) != null) {
            out.add(id(e));
        }
        return out;
    }

    @Test
    void firstAttemptsQueuedBehindManyRetriesAreTakenFirstButRetriesKeepTheirTurn() throws Exception {
        DispatchLanes lanes = new DispatchLanes(100);
        for (int i = 0; i < 6; i++) {
            assertThat(lanes.offer(ticket("r" + i, 1))).isTrue();
        }
        for (int i = 0; i < 6; i++) {
            assertThat(lanes.offer(ticket("f" + i, 0))).isTrue();
        }
        // Without lanes all six retries went out first; now every fourth take is a retry while both wait.
        assertThat(takeAll(lanes)).containsExactly("f0", "f1", "f2", "r0", "f3", "f4", "f5", "r1", "r2", "r3", "r4", "r5");
    }

    @Test
    void oneBoundCoversBothLanes() {
        DispatchLanes lanes = new DispatchLanes(3);
        assertThat(lanes.offer(ticket("r0", 2))).isTrue();
        assertThat(lanes.offer(ticket("f0", 0))).isTrue();
        assertThat(lanes.offer(ticket("f1", 0))).isTrue();
        assertThat(lanes.remainingCapacity()).isZero();
        assertThat(lanes.offer(ticket("f2", 0))).isFalse();
        assertThat(lanes.offer(ticket("r1", 1))).isFalse();
        assertThat(lanes.size()).isEqualTo(3);
        assertThat(lanes.poll()).isNotNull();
        assertThat(lanes.offer(ticket("r1", 1))).isTrue();
        assertThat(lanes.retriesWaiting()).isEqualTo(2);
    }

    @Test
    void ticketsWithoutAnAttemptBehindThemAreFirstAttempts() throws Exception {
        DispatchLanes lanes = new DispatchLanes(10);
        lanes.offer(ticket("r0", 3));
        Exchange manual = new DefaultExchange(context);
        manual.getIn().setBody(new DispatchTicket("m0", "lease", Trigger.MANUAL));
        lanes.offer(manual);
        assertThat(takeAll(lanes)).containsExactly("m0", "r0");
    }

    @Test
    void aWaitingTakeIsWokenByAnOffer() throws Exception {
        DispatchLanes lanes = new DispatchLanes(10);
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            lanes.offer(ticket("f0", 0));
        });
        later.start();
        Exchange e = lanes.poll(5, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(id(e)).isEqualTo("f0");
    }
}
