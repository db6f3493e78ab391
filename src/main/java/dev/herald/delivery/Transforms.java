package dev.herald.delivery;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.Resource;

/**
 * The transforms a webhook may name: routes from {@code direct:<name>} that the operator
 * loaded from a file (herald.routes.dir). Herald's own routes come from the classpath or
 * from Java and are never transforms, so a webhook cannot send its payload into
 * {@code direct:ingest} or any other internal route.
 */
public final class Transforms {

    private final CamelContext context;

    public Transforms(CamelContext context) {
        this.context = context;
    }

    /** True when a started route consumes {@code direct:<name>} and was loaded from a file. */
    public boolean running(String name) {
        String uri = "direct://" + name;
        for (Route route : context.getRoutes()) {
            if (uri.equals(route.getEndpoint().getEndpointBaseUri()) && fromFile(route.getSourceResource())
                    && context.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started) {
                return true;
            }
        }
        return false;
    }

    private static boolean fromFile(Resource resource) {
        return resource != null && resource.getScheme() != null && resource.getScheme().startsWith("file");
    }
}
