package dev.herald.api;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

import io.vertx.core.net.impl.TCPServerBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Says where Herald listens, once its servers are up: the address each one is bound to, and URLs
 * that reach it from this host. Camel's own endpoint summary (silenced in log4j2.properties)
 * prints 0.0.0.0 whatever the host. A server that could not bind its port (Vert.x only logs that
 * and carries on) stops the start instead of leaving a Herald that answers nowhere.
 */
public final class ServerAddresses implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ServerAddresses.class);

    private final boolean dashboard;
    private final Path keyFile;
    private boolean said;

    /** {@code keyFile}: where the generated API key is kept, for the curl hint; null when keys are configured. */
    private ServerAddresses(boolean dashboard, Path keyFile) {
        this.dashboard = dashboard;
        this.keyFile = keyFile;
    }

    public static void install(CamelContext context, boolean dashboard, Path keyFile) throws Exception {
        context.addStartupListener(new ServerAddresses(dashboard, keyFile));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // Only onCamelContextFullyStarted: the servers are listening then.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if (said) {
            return;
        }
        said = true;
        MainHttpServer api = context.hasService(MainHttpServer.class);
        if (api != null) {
            int port = bound(context, "herald.http", api.getHost(), api.getPort());
            String base = url(api.getHost(), port);
            LOG.info("API listening on {}: {}/v1 (reference {}/v1/openapi.json){}", address(api.getHost(), port), base, base,
                    dashboard ? ", dashboard " + base + "/ui/" : "");
            if (keyFile != null) {
                LOG.info("Try it:  curl -H \"Authorization: Bearer $(cat {})\" {}/v1/webhooks", keyFile, base);
            }
        }
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null) {
            int port = bound(context, "herald.management", management.getHost(), management.getPort());
            String base = url(management.getHost(), port);
            LOG.info("Management listening on {}: {}/observe/health{}", address(management.getHost(), port), base,
                    management.isMetricsEnabled() ? ", " + base + "/observe/metrics" : "");
        }
    }

    /** The port the server of {@code configuredPort} listens on; the start fails when it listens nowhere. */
    private static int bound(CamelContext context, String setting, String host, int configuredPort) {
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            if (server.getConfigurationPort() == configuredPort) {
                // Vert.x's own class: its HttpServer interface cannot tell a failed bind (actualPort is set before).
                if (server.getServer() instanceof TCPServerBase tcp && tcp.isListening() && tcp.actualPort() > 0) {
                    return tcp.actualPort();
                }
            }
        }
        throw new IllegalStateException("nothing listens on " + address(host, configuredPort) + " (" + setting
                + ".host and .port): the port is taken by another process, or the address is not this host's");
    }

    /** host:port as bound, IPv6 in brackets; a wildcard address says so. */
    static String address(String host, int port) {
        String bound = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return wildcard(host) ? bound + " (every interface)" : bound;
    }

    /** A URL that reaches a server bound to {@code host} from this machine: loopback for a wildcard address. */
    static String url(String host, int port) {
        String reach = wildcard(host) ? (host.contains(":") ? "::1" : "127.0.0.1") : host.replace("[", "").replace("]", "");
        return "http://" + (reach.contains(":") ? "[" + reach + "]" : reach) + ":" + port;
    }

    private static boolean wildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.replace("[", "").replace("]", "").matches("[0:]*:[0:]*");
    }
}
