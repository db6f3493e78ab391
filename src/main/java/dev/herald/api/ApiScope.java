package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.tenancy.Applications;
import dev.herald.tenancy.ApplicationNames;
import dev.herald.tenancy.Scope;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The scope decisions of the event and delivery calls ({@link Scope}): which application's rows a call
 * sees, and the same 404 for a row of another application (or of the operator's own) as for no row at all.
 */
final class ApiScope {

    private ApiScope() {
    }

    /** The application a key is confined to; null for the operator's, which see every row. */
    static String confinedTo(Scope scope) {
        if (scope == null) {
            throw new IllegalStateException("no API scope on this call: it did not pass ApiAuth");
        }
        return scope instanceof Scope.OfApplication a ? a.applicationId() : null;
    }

    /** Whether a call of {@code scope} sees a row of {@code rowApplication} (null: the operator's own). */
    static boolean sees(Scope scope, String rowApplication) {
        return scope instanceof Scope.Operator || Objects.equals(confinedTo(scope), rowApplication);
    }

    /**
     * The application a list narrows to: {@code ?application=<id|uid>} (404 field application when it names
     * none, or another than the key's), an application key's own, or null (an operator's list of all rows).
     */
    static String listFilter(Connection c, Scope scope, String named) throws SQLException {
        String confined = confinedTo(scope);
        if (named == null || named.isBlank()) {
            return confined;
        }
        String id = Applications.resolve(c, named.trim()).orElseThrow(() -> ApplicationNames.unknown("application", named));
        if (confined != null && !confined.equals(id)) {
            throw ApplicationNames.unknown("application", named);
        }
        return id;
    }

    /**
     * Operator-only calls (stats) answer an application key exactly as a path nothing serves
     * (ApiErrors.noRoute): an application cannot tell them from routes that do not exist.
     */
    static void operatorOnly(Scope scope, String method) {
        if (!(scope instanceof Scope.Operator)) {
            throw new HeraldException(404, "not_found", "nothing here answers " + method + " on this path; the API is under /v1 (GET /v1/openapi.json), the dashboard at /ui/", null);
        }
    }
}
