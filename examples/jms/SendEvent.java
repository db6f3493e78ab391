import jakarta.jms.Connection;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends one event to Herald's JMS source. Run with Herald's own libraries, from the folder Herald runs in:
 *   java -cp 'target/lib/*' examples/jms/SendEvent.java '{"type":"project.created","data":{"id":"p1"}}'
 * Broker and queue default to Herald's embedded ones; override with -Dbroker=... -Dqueue=...
 * The embedded broker wants a login on TCP: by default the one Herald generated in data/jms-user and
 * data/jms-password (-Ddata=<herald.data.dir> for another folder); -Duser=... -Dpassword=... to give your own.
 */
public class SendEvent {
    public static void main(String[] args) throws Exception {
        String broker = System.getProperty("broker", "tcp://127.0.0.1:61616");
        String queue = System.getProperty("queue", "herald.events");
        Path data = Path.of(System.getProperty("data", "data"));
        String user = login("user", data.resolve("jms-user"));
        String password = login("password", data.resolve("jms-password"));
        try (Connection connection = new ActiveMQConnectionFactory(broker, user, password).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // Persistent by default: the broker has it on disk when send() returns.
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage(args[0]));
            System.out.println("sent to " + queue + " at " + broker + " as " + user);
        }
    }

    /** -D{name}, else the file Herald generated. */
    static String login(String name, Path file) throws Exception {
        String given = System.getProperty(name);
        return given != null ? given : Files.readString(file).trim();
    }
}
