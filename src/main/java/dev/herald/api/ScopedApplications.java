package dev.herald.api;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.tenancy.Applications;
import dev.herald.tenancy.Scope;

import java.util.Optional;

/**
 * An application as a call names it (id or uid), in a path ({@code /v1/applications/{app}/…}) or as a
 * list's {@code ?application=} filter, checked against the call's scope: one the scope may not use is
 * refused exactly as one that does not exist.
 */
public final class ScopedApplications {

    private final Database db;

    public ScopedApplications(Database db) {
        this.db = db;
    }

    /** The id of the application {@code app} names in a path; else 404 {@code not_found}. */
    public String inPath(Scope scope, String app) {
        String id = db.read(c -> Applications.resolve(c, app)).orElseThrow(() -> HeraldException.notFound("application", app));
        ScopeGuard.requireApplication(scope, id, app);
        return id;
    }

    /**
     * The application a list keeps to: the one {@code ?application=} names (404 {@code not_found}, field
     * {@code application}, when it names none the scope sees), else the scope's own; empty: every row.
     */
    public Optional<String> filter(Scope scope, String application) {
        return Optional.ofNullable(db.read(c -> filter(c, scope, application)));
    }

    /** As {@link #filter(Scope, String)}, in a transaction already open; null: every row. */
    static String filter(java.sql.Connection c, Scope scope, String application) throws java.sql.SQLException {
        if (application == null || application.isBlank()) {
            return ScopeGuard.limitedTo(scope).orElse(null);
        }
        return Applications.resolve(c, application.trim()).filter(a -> ScopeGuard.sees(scope, a))
                .orElseThrow(() -> dev.herald.tenancy.ApplicationNames.unknown("application", application));
    }
}
