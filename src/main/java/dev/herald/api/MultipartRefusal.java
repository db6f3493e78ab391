package dev.herald.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;

/**
 * Refuses multipart requests on the API server with 415 before their body is read.
 * Vert.x's body handler would store each uploaded part in a file, for any caller (it
 * runs before the API key is checked), and camel.server.file-upload-enabled=false does
 * not stop it in Camel 4.18: the parts then land in ./file-uploads instead.
 */
public final class MultipartRefusal implements StartupListener {

    static final String ERROR = "{\"error\":{\"code\":\"unsupported_media_type\",\"message\":"
            + "\"multipart uploads are not accepted; send the body as Content-Type: application/json\",\"field\":null}}";

    private boolean installed;

    /**
     * Called twice: first after the HTTP server has started and before the route consumers
     * add their paths (and body handlers) to its router. The guard goes first on that router.
     */
    @Override
    public synchronized void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (!installed && server != null && server.getRouter() != null) {
            server.getRouter().route().order(Integer.MIN_VALUE).handler(MultipartRefusal::refuseMultipart);
            installed = true;
        }
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
                .end(ERROR);
    }
}
