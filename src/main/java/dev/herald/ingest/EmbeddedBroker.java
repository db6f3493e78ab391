package dev.herald.ingest;

import dev.herald.store.SecretFile;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Set;

/**
 * The ActiveMQ Artemis broker Herald runs when no herald.jms.broker-url is set: a
 * persistent journal under the data directory, reachable in-VM ({@code vm://0}) and on
 * TCP for an ESB or a script on this host. In-VM needs no login; TCP clients log in with
 * {@link BrokerCredentials} and anonymous ones are refused ({@link BrokerLogin}). Started
 * once, as a Camel service, before the routes and stopped after them.
 */
public final class EmbeddedBroker extends ServiceSupport {

    public static final String IN_VM_URL = "vm://0";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final Path dir;
    private final String host;
    private final int port;
    private final String queue;
    private final String deadLetterQueue;
    private final BrokerCredentials tcpLogin;
    private volatile EmbeddedActiveMQ broker;

    public EmbeddedBroker(Path dir, String host, int port, String queue, String deadLetterQueue,
            BrokerCredentials tcpLogin) {
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.tcpLogin = tcpLogin;
    }

    @Override
    protected void doStart() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("herald")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setNodeManagerLockDirectory(dir.toString())
                .setSecurityEnabled(true)
                // Artemis caches a login by user and password only: an anonymous in-VM login would
                // then let an anonymous TCP client in. BrokerLogin is cheap; it checks every login.
                .setAuthenticationCacheSize(0)
                // Artemis' cluster user passes every check; its default password is public.
                .setClusterPassword(SecretFile.random("", 24))
                .putSecurityRoles("#", Set.of(BrokerLogin.role()))
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", IN_VM_URL);
        if (port > 0) {
            config.addAcceptorConfiguration("tcp", "tcp://" + host + ":" + port);
        }
        // A message rolled back (Herald stopped or killed while it waited for the database) comes
        // back later, forever: the broker holds it until Herald can commit it. Refused input never
        // rolls back; it is dead-lettered by the source route.
        config.addAddressSetting("#", new AddressSettings()
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000)
                .setMaxDeliveryAttempts(-1)
                // A message sent with a JMS expiration is kept there rather than dropped when it expires.
                .setDeadLetterAddress(SimpleString.of(deadLetterQueue))
                .setExpiryAddress(SimpleString.of(deadLetterQueue)));
        for (String name : new String[] {queue, deadLetterQueue}) {
            config.addQueueConfiguration(QueueConfiguration.of(name).setAddress(name)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.setSecurityManager(new BrokerLogin(tcpLogin));
        broker.start();
        LOG.info("Embedded JMS broker started: journal {}, in-VM {}{}", dir, IN_VM_URL,
                port > 0 ? ", tcp://" + host + ":" + port : "");
    }

    /** Null while the broker serves clients, else why not: for the readiness check. */
    public String notServing() {
        EmbeddedActiveMQ b = broker;
        if (b == null || b.getActiveMQServer() == null) {
            return "Embedded broker not started";
        }
        var server = b.getActiveMQServer();
        // Active: started and not a backup waiting (or failed) to take over the journal lock.
        return server.isStarted() && server.isActive() ? null : "Embedded broker " + server.getState();
    }

    @Override
    protected void doStop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }
}
