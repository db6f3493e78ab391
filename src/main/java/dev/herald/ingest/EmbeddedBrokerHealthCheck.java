package dev.herald.ingest;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness check "embedded-broker", registered only when Herald runs the embedded broker: the
 * JMS source and the ESBs sending to it need it. Readiness only: /observe/health/live stays UP.
 * Asks the server's state, which costs nothing, so no caching.
 */
public final class EmbeddedBrokerHealthCheck extends AbstractHealthCheck {

    private final EmbeddedBroker broker;

    public EmbeddedBrokerHealthCheck(EmbeddedBroker broker) {
        super("herald", "embedded-broker");
        this.broker = broker;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String problem = broker.notServing();
        if (problem == null) {
            builder.up().message("Embedded broker active");
        } else {
            builder.down().message(problem);
        }
    }
}
