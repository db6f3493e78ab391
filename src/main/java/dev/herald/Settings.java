package dev.herald;

import dev.herald.subscription.RetrySchedule;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads herald.* settings through Camel's properties (so -D, env and ./application.properties apply),
 * and keeps the stop actions of the wiring ({@code stopActions}, the latest first).
 */
record Settings(CamelContext context, Deque<Runnable> stopActions) {

    Settings(CamelContext context) {
        this(context, new ConcurrentLinkedDeque<>());
    }

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
     * Runs {@code action} when Camel stops, or when the start fails ({@link #undo}), once. Camel
     * stops services in the reverse order they were added: what is added later stops earlier.
     */
    void onStop(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable once = () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
        stopActions.addFirst(once);
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    once.run();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register a stop action", e);
        }
    }

    /**
     * A start that failed while wiring: runs the stop actions registered so far, the latest first,
     * as a stop would (the pool closes, then this start's herald.running goes, then the data
     * directory's lock), since Camel stops nothing it has not started. A failing action does not
     * keep the others from running.
     */
    void undo(Throwable cause) {
        for (Runnable action : stopActions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
