package dev.herald.ingest;

import dev.herald.store.StoreException;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

import java.sql.SQLException;

/**
 * Error handling of the JMS and file sources, declared once. Two kinds of failure:
 * the database is away (nothing was committed: keep the input and try again later), or
 * the input itself is refused (say why, in the source's own channel, and move on).
 */
public class SourceRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("jms-source")
                // Hold the message (its transaction stays open, the consumer waits) and try the same
                // event again until the database is back. A rollback would count towards the broker's
                // max-delivery-attempts (an external Artemis: 10, then its dead letter address), and a
                // good message must never be dead-lettered for an outage. A kill -9 meanwhile rolls back
                // (one delivery counted); so does a stop (after camel.main.shutdown-timeout).
                .onException(StoreException.class, SQLException.class)
                    .maximumRedeliveries(-1)
                    .redeliveryDelay(1000)
                    .useExponentialBackOff()
                    .maximumRedeliveryDelay(30_000)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                .end()
                // Refused: the original message goes to the dead letter queue with the reason, and the
                // transaction commits, so the queue keeps flowing.
                .onException(Exception.class)
                    .handled(true)
                    .logExhausted(false)
                    .useOriginalMessage()
                    .bean("SourceErrors", "deadLetter")
                    .to("jms:queue:{{herald.jms.dead-letter-queue}}?disableReplyTo=true");

        routeConfiguration("file-source")
                // Hold the file (it stays in the inbox) and try the same batch again until the database is back.
                .onException(StoreException.class, SQLException.class)
                    .maximumRedeliveries(-1)
                    .redeliveryDelay(1000)
                    .useExponentialBackOff()
                    .maximumRedeliveryDelay(30_000)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                .end()
                // Refused: write .error/<name>.error.txt; the consumer's moveFailed moves the file beside it.
                .onException(Exception.class)
                    .handled(false)
                    .logExhausted(false)
                    .bean("SourceErrors", "inboxReport");
    }
}
