package dev.herald.api;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.rest.RestEndpoint;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP methods Herald's running routes take on a path, for the {@code Allow} header of a 405.
 * Read from the routes themselves (the REST DSL's verbs, the platform-http routes' method
 * restriction), so a route added, removed or stopped changes the answer without a second list.
 * Asked only for requests no route took, so walking the routes (a few dozen) costs nothing that matters.
 */
final class ApiMethods {

    /** The order methods are listed in: the usual ones first, anything else after them by name. */
    private static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final CamelContext context;

    ApiMethods(CamelContext context) {
        this.context = context;
    }

    /** The methods some started route takes on {@code path} (as routed: normalized, no query); empty if none serves it. */
    Set<String> on(String path) {
        Set<String> methods = new TreeSet<>(ApiMethods::compare);
        for (Route route : context.getRoutes()) {
            ServiceStatus status = context.getRouteController().getRouteStatus(route.getRouteId());
            if (status == null || !status.isStarted()) {
                continue;
            }
            Endpoint e = route.getEndpoint();
            if (e instanceof RestEndpoint rest && rest.getMethod() != null
                    && matches(rest.getPath() + (rest.getUriTemplate() == null ? "" : rest.getUriTemplate()), false, path)) {
                methods.add(rest.getMethod().toUpperCase(Locale.ROOT));
            } else if (e instanceof PlatformHttpEndpoint http && http.getHttpMethodRestrict() != null
                    && matches(http.getPath(), http.isMatchOnUriPrefix(), path)) {
                for (String m : http.getHttpMethodRestrict().split(",")) {
                    if (!m.isBlank()) {
                        methods.add(m.trim().toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        return methods;
    }

    /**
     * Whether a route path ({@code /v1/webhooks/{id}}) takes a request path: segment by segment, a
     * {@code {name}} taking any one non-empty segment; with {@code prefix}, the route's path and
     * anything under it. A trailing slash is ignored, as the router does.
     */
    static boolean matches(String template, boolean prefix, String path) {
        String[] want = segments(template);
        String[] got = segments(path);
        if (got.length < want.length || got.length > want.length && !prefix) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean variable = want[i].startsWith("{") && want[i].endsWith("}");
            if (variable ? got[i].isEmpty() : !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    private static int compare(String a, String b) {
        int i = ORDER.indexOf(a);
        int j = ORDER.indexOf(b);
        if (i >= 0 && j >= 0) {
            return Integer.compare(i, j);
        }
        return i >= 0 ? -1 : j >= 0 ? 1 : a.compareTo(b);
    }
}
