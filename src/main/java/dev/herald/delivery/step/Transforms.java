package dev.herald.delivery.step;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.Resource;

import java.nio.file.Path;

/**
 * The transforms a webhook may name: routes from {@code direct:<name>} that the operator
 * loaded from a file (herald.routes.dir). Herald's own routes come from the classpath or
 * from Java and are never transforms, so a webhook cannot send its payload into
 * {@code direct:ingest} or any other internal route.
 */
public final class Transforms {

    private final CamelContext context;
    private final Path routesDir;

    public Transforms(CamelContext context, Path routesDir) {
        this.context = context;
        this.routesDir = routesDir.toAbsolutePath().normalize();
    }

    /** True when a started route consumes {@code direct:<name>} and was loaded from a file in herald.routes.dir. */
    public boolean running(String name) {
        String uri = "direct://" + name;
        for (Route route : context.getRoutes()) {
            if (uri.equals(route.getEndpoint().getEndpointBaseUri()) && inRoutesDir(route.getSourceResource())
                    && context.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started) {
                return true;
            }
        }
        return false;
    }

    /**
     * Not the scheme alone: run from a build folder, Herald's own classpath:routes/*.yaml resolve
     * to file: resources too.
     */
    private boolean inRoutesDir(Resource resource) {
        if (resource == null || resource.getLocation() == null || !resource.getLocation().startsWith("file:")) {
            return false;
        }
        try {
            return Path.of(resource.getLocation().substring("file:".length())).toAbsolutePath().normalize()
                    .startsWith(routesDir);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}
