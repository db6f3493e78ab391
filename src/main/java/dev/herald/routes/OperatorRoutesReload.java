package dev.herald.routes;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.Route;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What Herald does with a YAML file in herald.routes.dir that Camel's route watcher
 * ({@code camel.main.routes-reload-*}) saw change. Camel 4.18's own handling, replaced here,
 * leaves a deleted file's routes running, skips {@code templatedRoute}s, keeps using the first
 * version of a template, stops a file's routes before finding out the new version cannot be
 * created, logs a YAML syntax error with its line only deep in a stack trace, and once a file
 * failed, fails every later reload until that file is fixed. Here a changed file's routes are
 * replaced and those it no longer has removed, a deleted file's routes removed, and a file that
 * cannot be loaded is logged in one line with its line (and column, for broken YAML) while the
 * routes it had keep running. A route id already used elsewhere is refused, not taken over.
 */
@Configuration
public class OperatorRoutesReload implements CamelConfiguration, ResourceReload {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorRoutesReload.class);

    private CamelContext context;
    private Path dir;
    /** Per file, its templatedRoute ids: the route Camel makes from a template does not name the file. */
    private final Map<Path, Set<String>> templated = new ConcurrentHashMap<>();
    /** Per file, the text last loaded: one save fires one to three events; the repeats are skipped. */
    private final Map<Path, String> loaded = new ConcurrentHashMap<>();

    @Override
    public void configure(CamelContext camelContext) throws IOException {
        RouteWatcherReloadStrategy watcher = camelContext.hasService(RouteWatcherReloadStrategy.class);
        if (watcher == null || watcher.getResourceReload() != null) {
            return; // reload is off (herald.routes.reload=false), or this ran already
        }
        context = camelContext;
        watcher.setResourceReload(this);
        dir = key(Path.of(watcher.getFolder()));
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    String text = Files.readString(f);
                    loaded.put(key(f), text);
                    templated.put(key(f), RouteFiles.templatedRouteLines(text).keySet());
                }
            } catch (RuntimeException e) {
                LOG.debug("Operator route files not read ahead; Camel reports them at start", e);
            }
        }
    }

    @Override
    public void onReload(String name, Resource resource) throws Exception {
        Path file = key(Path.of(name));
        if (!Files.exists(file)) {
            Set<String> gone = routesFrom(file);
            remove(gone);
            templated.remove(file);
            loaded.remove(file);
            LOG.info("Route file {} deleted: routes {} stopped and removed", file, gone);
            return;
        }
        String text = Files.readString(file);
        if (text.isBlank() || text.equals(loaded.get(file))) {
            return; // still being written (an editor truncates first), or saved unchanged
        }
        Collection<RoutesBuilder> builders = List.of();
        Map<String, Integer> defined = new LinkedHashMap<>(); // route id -> line, of what the new text defines
        List<RouteDefinition> previous = null;
        Set<String> touched = routesFrom(file);
        try {
            // Read it all first: bad YAML and unknown steps fail here, before anything stops.
            Map<String, Integer> templatedLines = RouteFiles.templatedRouteLines(text);
            builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource));
            for (RoutesBuilder b : builders) {
                if (b instanceof RouteBuilder rb) {
                    rb.configureRoutes(context);
                    rb.getRouteCollection().getRoutes().forEach(r -> defined.put(r.getRouteId(), RouteFiles.line(r.getInput())));
                }
            }
            defined.putAll(templatedLines);
            defined.remove(null);
            for (String id : defined.keySet()) {
                Route other = context.getRoute(id);
                if (other != null && !touched.contains(id)) {
                    throw new RouteFiles.Problem(defined.get(id), "(route " + id + "): the id is taken by " + owner(other));
                }
            }
            Set<String> before = new LinkedHashSet<>(touched);
            touched.addAll(defined.keySet());
            previous = definitions(before);
            apply(builders, templatedLines);
            before.removeAll(defined.keySet());
            remove(before);
            templated.put(file, templatedLines.keySet());
            loaded.put(file, text);
            LOG.info("Route file {} loaded: routes {}{}", file, defined.keySet(), before.isEmpty() ? "" : ", removed " + before);
        } catch (Exception e) {
            if (previous != null) {
                restore(touched, previous);
            }
            LOG.warn("Route file {} not loaded, {}. The routes it had keep running; fix the file and save it again.",
                    file, RouteFiles.where(e, builders, defined));
            LOG.debug("Route file {} not loaded", file, e);
        }
    }

    /** As Camel's reload does it (DefaultRoutesLoader.updateRoutes), plus templates and templated routes. */
    private void apply(Collection<RoutesBuilder> builders, Map<String, Integer> templatedLines) throws Exception {
        Model model = model();
        for (RoutesBuilder b : builders) {
            if (b instanceof RouteBuilder rb) {
                // Camel finds a template by id in the order added: the old one would stay in use.
                for (RouteTemplateDefinition t : rb.getRouteTemplateCollection().getRouteTemplates()) {
                    model.removeRouteTemplateDefinitions(t.getId());
                }
            }
            if (b instanceof RouteConfigurationsBuilder rcb) {
                rcb.updateRouteConfigurationsToCamelContext(context);
            }
        }
        for (RoutesBuilder b : builders) {
            b.updateRoutesToCamelContext(context);
            if (b instanceof RouteBuilder rb) {
                for (TemplatedRouteDefinition t : rb.getTemplatedRouteCollection().getTemplatedRoutes()) {
                    try {
                        model.addRouteFromTemplatedRoute(t);
                    } catch (Exception e) {
                        throw new RouteFiles.Problem(templatedLines.get(t.getRouteId()),
                                "(templatedRoute " + t.getRouteId() + "): " + RouteFiles.rootMessage(e));
                    }
                }
            }
        }
    }

    /** The routes loaded from this file: routes that name it as their source, and its templated routes. */
    private Set<String> routesFrom(Path file) {
        Set<String> ids = new LinkedHashSet<>();
        for (Route r : context.getRoutes()) {
            Resource source = r.getSourceResource();
            if (source != null && source.getLocation().startsWith("file:")
                    && key(Path.of(source.getLocation().substring(5))).equals(file)) {
                ids.add(r.getRouteId());
            }
        }
        for (String id : templated.getOrDefault(file, Set.of())) {
            if (context.getRoute(id) != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    private List<RouteDefinition> definitions(Collection<String> ids) {
        List<RouteDefinition> defs = new ArrayList<>();
        for (String id : ids) {
            RouteDefinition def = model().getRouteDefinition(id);
            if (def != null) {
                defs.add(def);
            }
        }
        return defs;
    }

    private void remove(Collection<String> ids) throws Exception {
        for (String id : ids) {
            RouteDefinition def = model().getRouteDefinition(id);
            if (def != null) {
                model().removeRouteDefinition(def); // stops the route (gracefully) and removes it
            } else if (context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
        }
    }

    /** A new version that failed half way: its routes go, the previous ones come back. */
    private void restore(Set<String> ids, List<RouteDefinition> previous) {
        try {
            remove(ids);
            model().addRouteDefinitions(previous);
        } catch (Exception e) {
            LOG.error("Routes {} could not be restored after a failed reload: {}", ids, e.getMessage(), e);
        }
    }

    /** Which file of herald.routes.dir a running route came from, else "a built-in route". */
    private String owner(Route route) {
        for (Map.Entry<Path, Set<String>> e : templated.entrySet()) {
            if (e.getValue().contains(route.getRouteId())) {
                return e.getKey().toString();
            }
        }
        Resource source = route.getSourceResource();
        if (source != null && source.getLocation().startsWith("file:")
                && key(Path.of(source.getLocation().substring(5))).startsWith(dir)) {
            return source.getLocation().substring(5);
        }
        return "a built-in route" + (route.getSourceLocationShort() == null ? "" : " (" + route.getSourceLocationShort() + ")");
    }

    private Model model() {
        return context.getCamelContextExtension().getContextPlugin(Model.class);
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
