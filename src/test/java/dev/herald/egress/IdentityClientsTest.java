package dev.herald.egress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One client per identity: the same certificate gets the same client, another another; the bound
 * holds while every client may still have an attempt running; unused clients close. No connection
 * is made (the clients are only built).
 */
class IdentityClientsTest {

    static ClientTls alice;
    static ClientTls aliceAgain;
    static ClientTls bob;
    private final List<ReceiverClient> built = new ArrayList<>();
    private IdentityClients clients;

    @BeforeAll
    static void pki() throws Exception {
        TestPki.Issued ca = TestPki.ca("Clients Test CA");
        TestPki.Issued a = TestPki.client(ca, "alice", "EC");
        TestPki.Issued b = TestPki.client(ca, "bob", "EC");
        alice = new ClientTls(a.certificatePem(), a.keyPem(), null);
        // Equal text, other String instances: as a webhook read again from the database.
        aliceAgain = new ClientTls(new String(a.certificatePem()), new String(a.keyPem()), null);
        bob = new ClientTls(b.certificatePem(), b.keyPem(), ca.certificatePem());
    }

    private IdentityClients clients(int max, long idleMillis, long attemptMillis) {
        clients = new IdentityClients(context -> {
            ReceiverClient c = new ReceiverClient(AddressPolicy.of("127.0.0.0/8"), attemptMillis, 4, 4, context);
            built.add(c);
            return c;
        }, max, idleMillis, attemptMillis);
        return clients;
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void oneClientPerIdentity() {
        IdentityClients c = clients(4, 60_000, 1_000);
        ReceiverClient forAlice = c.client(alice);
        assertThat(c.client(aliceAgain)).isSameAs(forAlice);
        assertThat(c.client(bob)).isNotSameAs(forAlice);
        assertThat(c.open()).isEqualTo(2);
        assertThat(built).hasSize(2);
    }

    @Test
    void pastTheBoundAClientThatMayStillBeBusyIsKeptAndTheNewIdentityWaits() {
        IdentityClients c = clients(1, 60_000, 10_000);
        c.client(alice);
        assertThatThrownBy(() -> c.client(bob)).hasMessageContaining("herald.delivery.tls.max-clients=1");
        assertThat(c.client(alice)).isSameAs(built.get(0));
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedIdleClientMakesRoom() throws Exception {
        IdentityClients c = clients(1, 60_000, 0);
        ReceiverClient first = c.client(alice);
        // Longer than an attempt lasts (0 ms + the 1 s margin): no attempt can still be running on it.
        Thread.sleep(1_200);
        ReceiverClient second = c.client(bob);
        assertThat(second).isNotSameAs(first);
        assertThat(c.open()).isEqualTo(1);
        // Bob's client was just handed out: Alice waits for it to be idle in turn.
        assertThatThrownBy(() -> c.client(alice)).hasMessageContaining("max-clients");
    }

    @Test
    void aClientUnusedForTheIdleTimeIsClosed() throws Exception {
        IdentityClients c = clients(4, 1_000, 0);
        c.client(alice);
        long until = System.currentTimeMillis() + 10_000;
        while (c.open() > 0 && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertThat(c.open()).isZero();
        // Asked again, it opens a new one.
        c.client(alice);
        assertThat(built).hasSize(2);
    }

    @Test
    void anIdentityClientAsksTheEgressGuardLikeTheSharedOne() throws Exception {
        // Built as DeliveryWiring builds them, with the default policy: loopback is refused.
        clients = new IdentityClients(context -> new ReceiverClient(AddressPolicy.of(""), 2_000, 4, 4, context), 4,
                60_000, 2_000);
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Exception> failure = new java.util.concurrent.CompletableFuture<>();
            clients.client(alice).send(
                    org.apache.hc.core5.http.nio.support.AsyncRequestBuilder.post("https://localhost:" + listener.getLocalPort() + "/")
                            .build(),
                    new CappedResponse(1024), new org.apache.hc.core5.concurrent.FutureCallback<>() {
                        @Override
                        public void completed(CappedResponse r) {
                            failure.complete(null);
                        }

                        @Override
                        public void failed(Exception e) {
                            failure.complete(e);
                        }

                        @Override
                        public void cancelled() {
                            failure.complete(new java.util.concurrent.CancellationException());
                        }
                    });
            Exception e = failure.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(GuardedDnsResolver.AddressNotAllowedException.class)
                    .hasMessageContaining("loopback");
            // Nothing connected: the listener has no connection waiting.
            listener.setSoTimeout(200);
            assertThatThrownBy(listener::accept).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void noClientAfterClose() {
        IdentityClients c = clients(4, 60_000, 1_000);
        c.client(alice);
        c.close();
        assertThat(c.open()).isZero();
        assertThatThrownBy(() -> c.client(alice)).hasMessageContaining("stopping");
    }
}
