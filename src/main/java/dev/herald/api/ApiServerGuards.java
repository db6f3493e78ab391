package dev.herald.api;

import dev.herald.error.HeraldException;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;

import java.util.Set;

/**
 * What the API server does before any route sees a request, put first on its Vert.x router:
 * <ul>
 * <li>a multipart request gets 415 before its body is read: Vert.x's body handler would store
 * each uploaded part in a file, for any caller (it runs before the API key is checked), and
 * camel.server.file-upload-enabled=false does not stop it in Camel 4.18;</li>
 * <li>a request Vert.x itself refuses (a form field over 8 KB, a body over the size limit)
 * gets the JSON error shape instead of Vert.x's plain-text page;</li>
 * <li>until every route has started, and once they stop, any request gets 503 ({@link ApiReadiness});</li>
 * <li>a request no route takes gets the JSON error shape: 405 with {@code Allow} when routes serve
 * its path with other methods ({@link ApiMethods}), else 404.</li>
 * </ul>
 */
public final class ApiServerGuards implements StartupListener, Ordered {

    private static final String MULTIPART_REFUSED = ApiErrors.json(new HeraldException(415, "unsupported_media_type",
            "multipart uploads are not accepted; send the body as Content-Type: application/json", null));

    private final ApiReadiness readiness;
    private boolean installed;

    private ApiServerGuards(ApiReadiness readiness) {
        this.readiness = readiness;
    }

    /** Registers the guards and the readiness they check with the context, before it starts. */
    public static void install(CamelContext context) throws Exception {
        ApiReadiness readiness = new ApiReadiness();
        context.getManagementStrategy().addEventNotifier(readiness);
        context.addStartupListener(new ApiServerGuards(readiness));
    }

    /** Runs before Camel's DeferServiceStartupListener (LOWEST - 1000), which starts the HTTP server. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }

    /**
     * The server listens as soon as Camel starts it, before the routes are even warmed up (the
     * onCamelContextStarted below comes up to a second later). The only handlers it puts on its
     * router before it listens are those of its authentication config, so the readiness check
     * goes in as one entry, for every path. Enabling that config also sets a handler for 401
     * failures, which only Vert.x authentication raises; Herald answers 401 itself.
     */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server != null && server.getRouter() == null) {
            AuthenticationConfig config = server.getConfiguration().getAuthenticationConfig();
            config.getEntries().add(new FirstHandler("/*", readiness));
            config.setEnabled(true);
        }
    }

    /**
     * Called twice: first after the HTTP server has started and before the route consumers
     * add their paths (and body handlers) to its router; the guards go first on that router.
     */
    @Override
    public synchronized void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (!installed && server != null && server.getRouter() != null) {
            server.getRouter().route().order(Integer.MIN_VALUE)
                    .handler(ApiServerGuards::refuseMultipart)
                    .failureHandler(ApiErrors::httpFailure);
            // Last on the router: a request no route took (a path none serves, such as /ui/../x, which
            // Vert.x resolves to /x before routing, or a method the path does not take) gets the JSON
            // error shape instead of Vert.x's HTML page. The router's own 404/405 handling is out of
            // reach (Camel mounts this router inside another, and this route takes every request).
            ApiMethods methods = new ApiMethods(context);
            server.getRouter().route().order(Integer.MAX_VALUE).handler(rc -> noRoute(rc, methods));
            installed = true;
        }
    }

    /** 405 with the methods the path takes when some route serves it, else the API's 404. */
    private static void noRoute(RoutingContext rc, ApiMethods methods) {
        Set<String> allowed = methods.on(rc.normalizedPath());
        if (allowed.isEmpty() || rc.response().headWritten()) {
            ApiErrors.noRoute(rc);
            return;
        }
        String list = String.join(", ", allowed);
        rc.response().setStatusCode(405)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ALLOW, list)
                .end(ApiErrors.json(new HeraldException(405, "method_not_allowed",
                        "this path takes " + list + " (see Allow; GET /v1/openapi.json lists the API)", null)));
    }

    private static void refuseMultipart(RoutingContext rc) {
        String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.regionMatches(true, 0, "multipart/", 0, 10)) {
            rc.next();
            return;
        }
        // The body is never read: the connection closes after the answer.
        rc.response().setStatusCode(415)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(MULTIPART_REFUSED);
    }

    /** A handler the server puts on its router before it listens (not an authentication). */
    private static final class FirstHandler extends AuthenticationConfig.AuthenticationConfigEntry {

        private final Handler<RoutingContext> handler;

        FirstHandler(String path, Handler<RoutingContext> handler) {
            this.handler = handler;
            setPath(path);
        }

        @Override
        public Handler<RoutingContext> createAuthenticationHandler(Vertx vertx) {
            return handler;
        }
    }
}
