package dev.herald.tenancy;

import org.apache.camel.Exchange;

/**
 * Who an API call speaks for, as its key says: the operator (herald.api.keys, the generated key),
 * who sees everything, or one application, which sees only its own rows. Set by ApiAuth as the
 * exchange property {@link #PROPERTY}; every API operation reads it.
 */
public sealed interface Scope {

    String PROPERTY = "heraldScope";

    /** The operator's keys: every application's rows and the operator's own. */
    record Operator() implements Scope {
    }

    /** An application's key ({@code keyId}); {@code readOnly} keys may read but change nothing. */
    record OfApplication(String applicationId, String keyId, boolean readOnly) implements Scope {
    }

    Scope OPERATOR = new Operator();

    /** The scope ApiAuth set on this call; a call that did not pass ApiAuth has none and is refused. */
    static Scope of(Exchange exchange) {
        Scope s = exchange.getProperty(PROPERTY, Scope.class);
        if (s == null) {
            throw new IllegalStateException("no API scope on this call: it did not pass ApiAuth");
        }
        return s;
    }
}
