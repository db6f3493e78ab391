package dev.herald;

import dev.herald.subscription.RetrySchedule;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** Reads herald.* settings through Camel's properties (so -D, env and ./application.properties apply). */
record Settings(CamelContext context) {

    String text(String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("").trim();
    }

    int integer(String key) {
        return Integer.parseInt(text(key));
    }

    /** A duration setting ({@code 500ms}, {@code 30s}, {@code 5d}), at most ten years. */
    long millis(String key) {
        return RetrySchedule.parseDuration(text(key), key).toMillis();
    }

    /**
     * Runs {@code action} when Camel stops. Camel stops services in the reverse order they were
     * added: what is added later stops earlier.
     */
    void onStop(Runnable action) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    action.run();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register a stop action", e);
        }
    }
}
