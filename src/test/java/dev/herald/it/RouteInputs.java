package dev.herald.it;

import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Header;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.rest.RestEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the running Herald's HTTP calls read from a request, derived from its routes and the code
 * they call, not from a list: each call's route is followed through its {@code direct:} steps to
 * the bean methods it calls; their {@code @Header} parameters are the path and query parameters
 * (platform-http makes both headers) and a {@code @Body} parameter means the call reads a body.
 */
final class RouteInputs {

    /** What one call ({@code GET /v1/webhooks/{id}}) reads. */
    record Call(Set<String> pathParameters, Set<String> queryParameters, boolean body) {
    }

    /** The route every source hands its body to: it reads that body as events (EventParser), with no bean method. */
    static final String INGEST = "direct://ingest";
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    private final CamelContext context;
    private final Model model;

    private RouteInputs(CamelContext context) {
        this.context = context;
        this.model = context.getCamelContextExtension().getContextPlugin(Model.class);
    }

    /** Every HTTP call under /v1 by "METHOD /path/{var}". */
    static Map<String, Call> of(CamelContext context) {
        return new RouteInputs(context).calls();
    }

    private Map<String, Call> calls() {
        Map<String, Call> out = new TreeMap<>();
        for (Route route : context.getRoutes()) {
            List<String> methods = new ArrayList<>();
            String path;
            if (route.getEndpoint() instanceof RestEndpoint e) {
                methods.add(e.getMethod());
                path = e.getPath() + (e.getUriTemplate() == null ? "" : e.getUriTemplate());
            } else if (route.getEndpoint() instanceof PlatformHttpEndpoint e && e.getPath().startsWith("/v1")) {
                methods.addAll(Arrays.asList(e.getHttpMethodRestrict().split(",")));
                path = e.getPath();
            } else {
                continue;
            }
            Set<String> variables = new TreeSet<>();
            for (Matcher m = VARIABLE.matcher(path); m.find(); ) {
                variables.add(m.group(1));
            }
            Set<String> headers = new TreeSet<>();
            boolean body = false;
            Set<String> visited = new HashSet<>();
            for (Method method : beanMethods(definition(route), visited)) {
                for (Parameter p : method.getParameters()) {
                    Header h = p.getAnnotation(Header.class);
                    // The exchange, or one of its properties: the call's scope as ApiAuth set it (ScopeGuard), not the request's input.
                    if (p.getType() == org.apache.camel.Exchange.class || p.isAnnotationPresent(org.apache.camel.ExchangeProperty.class)) {
                        continue;
                    }
                    assertThat(h != null || p.isAnnotationPresent(Body.class))
                            .as("%s: parameter %s of %s is neither @Header nor @Body, so what the call reads cannot be told",
                                    route.getRouteId(), p.getName(), method)
                            .isTrue();
                    if (h != null) {
                        headers.add(h.value());
                    } else {
                        body = true;
                    }
                }
            }
            body |= visited.contains(INGEST);
            Set<String> query = new TreeSet<>(headers);
            query.removeAll(variables);
            for (String m : methods) {
                out.put(m.trim().toUpperCase(Locale.ROOT) + " " + path, new Call(variables, query, body));
            }
        }
        return out;
    }

    private RouteDefinition definition(Route route) {
        RouteDefinition d = model.getRouteDefinition(route.getRouteId());
        assertThat(d).as("definition of route " + route.getRouteId()).isNotNull();
        return d;
    }

    /** The bean methods a route calls, itself or through the direct: routes it sends to. */
    private List<Method> beanMethods(RouteDefinition route, Set<String> visited) {
        List<Method> out = new ArrayList<>();
        walk(route.getOutputs(), visited, out);
        return out;
    }

    private void walk(List<ProcessorDefinition<?>> steps, Set<String> visited, List<Method> out) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof BeanDefinition bean) {
                out.add(method(bean));
            } else if (step instanceof ToDefinition to && to.getUri().startsWith("direct:")) {
                Endpoint target = context.getEndpoint(to.getUri());
                if (visited.add(target.getEndpointUri())) {
                    for (Route r : context.getRoutes()) {
                        if (r.getEndpoint() == target) {
                            walk(definition(r).getOutputs(), visited, out);
                        }
                    }
                }
            }
            walk(step.getOutputs(), visited, out);
        }
    }

    private Method method(BeanDefinition bean) {
        Object instance = context.getRegistry().lookupByName(bean.getRef());
        assertThat(instance).as("bean " + bean.getRef()).isNotNull();
        List<Method> found = Arrays.stream(instance.getClass().getMethods())
                .filter(m -> m.getName().equals(bean.getMethod()) && !Modifier.isStatic(m.getModifiers()))
                .toList();
        assertThat(found).as("methods " + bean.getRef() + "." + bean.getMethod()).hasSize(1);
        return found.get(0);
    }

    /** A private constant of Herald's code (the fields a parser takes), read as it is. */
    static Set<String> constant(Class<?> owner, String name) {
        try {
            java.lang.reflect.Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            Object value = f.get(null);
            Set<String> out = new TreeSet<>();
            for (Object o : (Iterable<?>) value) {
                out.add((String) o);
            }
            return out;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the fields " + owner.getSimpleName() + "." + name + " are where RouteInputs looks for them"
                    + " no more; point it at the list the code checks a body against", e);
        }
    }
}
