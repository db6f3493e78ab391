package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;

import java.util.Objects;
import java.util.Optional;

/**
 * What a call's {@link Scope} may see and do, in one place for every API bean. An application's key
 * sees only its application's rows; a row of another application or of the operator's own is refused
 * exactly as one that does not exist, so a key learns nothing of what it may not see. Calls for the
 * operator alone answer an application's key as if nothing answered on the path.
 */
public final class ScopeGuard {

    private ScopeGuard() {
    }

    /** The application a call's rows are limited to; empty for the operator, who sees them all. */
    public static Optional<String> limitedTo(Scope scope) {
        return known(scope) instanceof Scope.OfApplication a ? Optional.of(a.applicationId()) : Optional.empty();
    }

    /** Whether the scope sees a row of {@code rowApplication} (null: the operator's own). */
    public static boolean sees(Scope scope, String rowApplication) {
        return !(known(scope) instanceof Scope.OfApplication a) || a.applicationId().equals(rowApplication);
    }

    /** Refuses a row the scope does not see with the 404 a missing {@code what} {@code id} gets. */
    public static void requireSees(Scope scope, String rowApplication, String what, String id) {
        if (!sees(scope, rowApplication)) {
            throw HeraldException.notFound(what, id);
        }
    }

    /** The application a row created in this scope belongs to: the key's, or null (the operator's own). */
    public static String owner(Scope scope) {
        return limitedTo(scope).orElse(null);
    }

    /**
     * {@code /v1/applications/{app}/…}: the operator may name any application, an application's key
     * only its own; another is refused as an application that does not exist ({@code named}: as the path gave it).
     */
    public static void requireApplication(Scope scope, String applicationId, String named) {
        if (scope instanceof Scope.OfApplication a && !a.applicationId().equals(applicationId)) {
            throw HeraldException.notFound("application", named);
        }
    }

    /** A call for the operator alone: an application's key gets the 404 of a path nothing answers on. */
    public static void requireOperator(Scope scope, String method) {
        if (!(scope instanceof Scope.Operator)) {
            throw ApiErrors.noRoute(method);
        }
    }

    /** A change (anything but a read): refused with 403 {@code read_only} for a read-only application key. */
    public static void requireChange(Scope scope) {
        if (scope instanceof Scope.OfApplication a && a.readOnly()) {
            throw new HeraldException(403, "read_only", "this key may read but not change anything", null);
        }
    }

    /** A call without a scope did not pass ApiAuth: refused, never taken for the operator's. */
    private static Scope known(Scope scope) {
        if (scope == null) {
            throw new IllegalStateException("no API scope on this call: it did not pass ApiAuth");
        }
        return scope;
    }

    /** The call's scope, as ApiAuth set it. */
    static Scope of(Exchange exchange) {
        return Scope.of(Objects.requireNonNull(exchange));
    }

    /** The call's HTTP method, for {@link #requireOperator}. */
    static String method(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "GET", String.class);
    }
}
