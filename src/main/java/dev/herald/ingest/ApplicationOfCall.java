package dev.herald.ingest;

import dev.herald.error.HeraldException;
import dev.herald.tenancy.ApplicationNames;
import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step of routes/http-source.yaml, after ApiAuth: which application the events of this call are for,
 * as {@link IngestService#APPLICATION}. The path's application ({@code POST /v1/applications/{app}/events},
 * property {@link #PATH}) or an application key's own; neither for the operator's own events. An
 * application key naming another application gets the same 404 as a name that resolves to nothing.
 */
public final class ApplicationOfCall implements Processor {

    /** The {app} of the path, as the route sets it (not a request header: a client could send any). */
    public static final String PATH = "heraldApplicationPath";

    private final ApplicationNames names;

    public ApplicationOfCall(ApplicationNames names) {
        this.names = names;
    }

    @Override
    public void process(Exchange exchange) {
        Scope scope = Scope.of(exchange);
        String keyApplication = null;
        if (scope instanceof Scope.OfApplication a) {
            if (a.readOnly()) {
                throw new HeraldException(403, "read_only", "this key may read but not send events", null);
            }
            keyApplication = a.applicationId();
        }
        String named = exchange.getProperty(PATH, String.class);
        String application = keyApplication;
        if (named != null) {
            String id = names.idOf(named).orElseThrow(() -> ApplicationNames.unknown("application", named));
            if (keyApplication != null && !keyApplication.equals(id)) {
                throw ApplicationNames.unknown("application", named);
            }
            application = id;
        }
        if (application != null) {
            exchange.setProperty(IngestService.APPLICATION, application);
        }
    }
}
