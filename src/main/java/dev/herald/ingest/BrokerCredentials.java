package dev.herald.ingest;

import dev.herald.store.SecretFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user and password TCP clients of the embedded broker log in with: those of
 * herald.jms.embedded.user and .password, or else generated on first start into
 * {@code <data dir>/jms-user} and {@code jms-password} (mode 0600) like the API key.
 * The log says where they are; the password never reaches it.
 */
public record BrokerCredentials(String user, String password) {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCredentials.class);

    @Override
    public String toString() {
        return "BrokerCredentials[user=" + user + "]";
    }

    public static BrokerCredentials resolve(String user, String password, Path dataDir) {
        List<String> where = new ArrayList<>();
        if (user.isEmpty()) {
            SecretFile file = new SecretFile(dataDir.resolve("jms-user"), "JMS user");
            user = file.readOrCreate(() -> SecretFile.random("herald_", 6)).value();
            where.add("the user in " + file.path());
        }
        if (password.isEmpty()) {
            SecretFile file = new SecretFile(dataDir.resolve("jms-password"), "JMS password");
            password = file.readOrCreate(() -> SecretFile.random("", 24)).value();
            where.add("the password in " + file.path());
        }
        if (!where.isEmpty()) {
            LOG.info("TCP clients of the embedded JMS broker log in with {}", String.join(" and ", where));
        }
        return new BrokerCredentials(user, password);
    }
}
