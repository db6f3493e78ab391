package dev.herald;

import org.apache.camel.spi.PropertiesFunction;

/**
 * The placeholder function {@code {{millis:herald.some.duration}}}: a herald.* duration setting
 * ({@code 1h}, {@code 30s}) in milliseconds, for an endpoint option that takes milliseconds
 * (quartz's {@code trigger.repeatInterval}). The setting keeps Herald's notation and its one
 * name; the route says where the conversion happens.
 */
final class MillisFunction implements PropertiesFunction {

    private final Settings settings;

    MillisFunction(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String getName() {
        return "millis";
    }

    @Override
    public String apply(String key) {
        return Long.toString(settings.millis(key.trim()));
    }
}
