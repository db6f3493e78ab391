package dev.herald.it;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

import java.nio.file.Path;
import java.util.Set;

/**
 * An external Artemis broker for {@link DeploymentTest}, in its own JVM so the test can kill it
 * with SIGKILL: {@code java dev.herald.it.StandaloneBroker <dir> <port> <user> <password>}.
 * Persistent journal in {@code dir} (a restart on the same dir keeps every message whose send
 * returned), one TCP acceptor on 127.0.0.1, one user, and the address settings an operator needs
 * for Herald (docs/scale-out.md, "The broker").
 */
public final class StandaloneBroker {

    private StandaloneBroker() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String user = args[2];
        String password = args[3];
        Configuration config = new ConfigurationImpl()
                .setName("standalone")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setNodeManagerLockDirectory(dir.toString())
                .setSecurityEnabled(true)
                .setJMXManagementEnabled(false)
                // A test broker on the machine's shared disk: Artemis blocks every producer (no error,
                // no timeout) once the disk is 90% used, which says nothing about Herald.
                .setMaxDiskUsage(-1)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        // Herald rolls a message back when it cannot commit its events (database away): the broker
        // must keep redelivering it, never dead-letter it after Artemis' default 10 attempts.
        config.addAddressSetting("herald.events", new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000)
                .setDeadLetterAddress(SimpleString.of("herald.events.DLQ"))
                .setExpiryAddress(SimpleString.of("herald.events.DLQ")));
        for (String name : new String[] {"herald.events", "herald.events.DLQ"}) {
            config.addQueueConfiguration(QueueConfiguration.of(name).setAddress(name)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.setSecurityManager(new OneUser(user, password));
        broker.start();
        System.out.println("broker started on tcp://127.0.0.1:" + port);
        // Runs until killed (the test's point), stopped with SIGTERM, or orphaned (below).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        // Stdin is a pipe from the test JVM: its end means the test JVM is gone, even killed, and
        // a broker left behind would hold its port and journal.
        while (System.in.read() != -1) {
            // Nothing is ever sent; this only waits.
        }
        System.exit(0);
    }

    /** Security on, with exactly one login that may do everything: the simplest honest setup. */
    private record OneUser(String user, String password) implements ActiveMQSecurityManager {
        @Override
        public boolean validateUser(String u, String p) {
            return user.equals(u) && password.equals(p);
        }

        @Override
        public boolean validateUserAndRole(String u, String p, Set<Role> roles, CheckType checkType) {
            return validateUser(u, p);
        }
    }
}
