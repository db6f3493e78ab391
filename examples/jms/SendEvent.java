import jakarta.jms.Connection;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Sends one event to Herald's JMS source. Run with Herald's own libraries:
 *   java -cp 'target/lib/*' examples/jms/SendEvent.java '{"type":"project.created","data":{"id":"p1"}}'
 * Broker and queue default to Herald's embedded ones; override with -Dbroker=... -Dqueue=...
 */
public class SendEvent {
    public static void main(String[] args) throws Exception {
        String broker = System.getProperty("broker", "tcp://127.0.0.1:61616");
        String queue = System.getProperty("queue", "herald.events");
        try (Connection connection = new ActiveMQConnectionFactory(broker).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // Persistent by default: the broker has it on disk when send() returns.
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage(args[0]));
            System.out.println("sent to " + queue + " at " + broker);
        }
    }
}
