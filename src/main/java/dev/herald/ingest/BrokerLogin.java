package dev.herald.ingest;

import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;

import javax.security.auth.Subject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Who may use the embedded broker: a connection inside this JVM (in-VM, Herald's own
 * routes) without credentials, a TCP client only with the configured user and password.
 * Both get the one role {@link #ROLE}, which the broker grants on every address.
 */
final class BrokerLogin implements ActiveMQSecurityManager5 {

    static final String ROLE = "herald";
    private static final String IN_VM_USER = "in-vm";

    private final String user;
    private final byte[] passwordDigest;

    BrokerLogin(BrokerCredentials credentials) {
        this.user = credentials.user();
        this.passwordDigest = digest(credentials.password());
    }

    /** What a TCP client may do: send, consume, browse and create queues; no management, no deletes of durable ones. */
    static Role role() {
        Role role = new Role();
        role.setName(ROLE);
        role.setSend(true);
        role.setConsume(true);
        role.setBrowse(true);
        role.setCreateAddress(true);
        role.setCreateDurableQueue(true);
        role.setCreateNonDurableQueue(true);
        role.setDeleteNonDurableQueue(true);
        return role;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (connection != null && connection.getTransportConnection() instanceof InVMConnection) {
            return subject(user == null ? IN_VM_USER : user);
        }
        // Digests compared in constant time: how long this takes says nothing about the password.
        boolean ok = this.user.equals(user) && password != null
                && MessageDigest.isEqual(passwordDigest, digest(password));
        return ok ? subject(user) : null;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null || subject.getPrincipals(RolePrincipal.class).stream().noneMatch(p -> p.getName().equals(ROLE))) {
            return false;
        }
        return roles.stream().anyMatch(r -> r.getName().equals(ROLE) && checkType.hasRole(r));
    }

    private static Subject subject(String name) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(name));
        subject.getPrincipals().add(new RolePrincipal(ROLE));
        return subject;
    }

    // The older ActiveMQSecurityManager methods; Artemis calls authenticate/authorize above.
    @Override
    public boolean validateUser(String user, String password) {
        return false;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
