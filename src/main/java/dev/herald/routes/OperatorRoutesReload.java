package dev.herald.routes;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.Route;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

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
 * created, logs a YAML syntax error without its line, and, once a file failed, fails every
 * later reload until that file is fixed. Here: a changed file's routes are replaced, routes it
 * no longer has removed, a deleted file's routes removed; a file that cannot be loaded is logged
 * with its line (and column, when the YAML itself is broken) and the routes it had keep running.
 */
@Configuration
public class OperatorRoutesReload implements CamelConfiguration, ResourceReload {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorRoutesReload.class);

    private CamelContext context;
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
        Path dir = Path.of(watcher.getFolder());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    String text = Files.readString(f);
                    loaded.put(key(f), text);
                    templated.put(key(f), templatedRouteLines(text).keySet());
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
        Map<String, Integer> templatedLines = Map.of();
        List<RouteDefinition> previous = null;
        Set<String> touched = routesFrom(file);
        try {
            // Read it all first: bad YAML and unknown steps fail here, before anything stops.
            templatedLines = templatedRouteLines(text);
            builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource));
            Set<String> ids = new LinkedHashSet<>(templatedLines.keySet());
            for (RoutesBuilder b : builders) {
                if (b instanceof RouteBuilder rb) {
                    rb.configureRoutes(context);
                    rb.getRouteCollection().getRoutes().forEach(r -> ids.add(r.getRouteId()));
                }
            }
            ids.remove(null);
            for (String id : ids) {
                Route other = context.getRoute(id);
                if (other != null && !touched.contains(id)) {
                    throw new IllegalArgumentException("route id " + id + " is taken by "
                            + (other.getSourceLocationShort() != null ? other.getSourceLocationShort() : "a built-in route"));
                }
            }
            Set<String> before = new LinkedHashSet<>(touched);
            touched.addAll(ids);
            previous = definitions(before);
            apply(builders, templatedLines);
            before.removeAll(ids);
            remove(before);
            templated.put(file, templatedLines.keySet());
            loaded.put(file, text);
            LOG.info("Route file {} loaded: routes {} started{}", file, ids, before.isEmpty() ? "" : ", " + before + " removed");
        } catch (Exception e) {
            if (previous != null) {
                restore(touched, previous);
            }
            LOG.warn("Route file {} not loaded, {}. The routes it had keep running; fix the file and save it again.",
                    file, where(e, builders, templatedLines));
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
                        throw new TemplatedRouteFailed(t.getRouteId(), templatedLines.get(t.getRouteId()), e);
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

    /** Where and what, in one phrase: "line 8, column 11: Unknown node id: fooBar". */
    static String where(Throwable e, Collection<RoutesBuilder> builders, Map<String, Integer> templatedLines) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MarkedYamlEngineException y && y.getProblemMark().isPresent()) {
                return "line " + (y.getProblemMark().get().getLine() + 1) + ", column "
                        + (y.getProblemMark().get().getColumn() + 1) + ": " + y.getProblem().strip();
            }
            if (t instanceof TemplatedRouteFailed f) {
                return (f.line == null ? "" : "line " + f.line + " ") + "(templatedRoute " + f.routeId + "): "
                        + rootMessage(f);
            }
            if (t instanceof FailedToCreateRouteException f) {
                Integer line = routeLine(f, builders);
                return (line == null ? "" : "line " + line + " ") + "(route " + f.getRouteId() + "): " + rootMessage(f);
            }
        }
        return rootMessage(e);
    }

    /** The line of the step Camel names as failed (">>> to[foo:bar] <<<"), else of the route's from. */
    private static Integer routeLine(FailedToCreateRouteException f, Collection<RoutesBuilder> builders) {
        String message = String.valueOf(f.getMessage());
        int at = message.indexOf(" at: >>> ");
        String step = at < 0 ? null : message.substring(at + 9, Math.max(at + 9, message.indexOf(" <<< in route")));
        for (RoutesBuilder b : builders) {
            if (b instanceof RouteBuilder rb) {
                for (RouteDefinition r : rb.getRouteCollection().getRoutes()) {
                    if (f.getRouteId() != null && f.getRouteId().equals(r.getRouteId())) {
                        for (ProcessorDefinition<?> p : r.getOutputs()) {
                            if (p.toString().equals(step) && p.getLineNumber() > 0) {
                                return p.getLineNumber();
                            }
                        }
                        return r.getInput().getLineNumber() > 0 ? r.getInput().getLineNumber() : null;
                    }
                }
            }
        }
        return null;
    }

    /** The ids of the file's templatedRoute entries and their lines; YAML read without Camel. */
    static Map<String, Integer> templatedRouteLines(String text) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        Node root = new Compose(LoadSettings.builder().build()).composeString(text).orElse(null);
        if (root instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                Node entry = value(item, "templatedRoute", "templated-route");
                Node id = value(entry, "routeId", "route-id");
                if (id instanceof ScalarNode s) {
                    lines.put(s.getValue(), item.getStartMark().map(m -> m.getLine() + 1).orElse(null));
                }
            }
        }
        return lines;
    }

    private static Node value(Node map, String... keys) {
        if (map instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && List.of(keys).contains(k.getValue())) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    /** The innermost exception's message, without a closing period (the log line adds its own). */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage()).strip();
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    private Model model() {
        return context.getCamelContextExtension().getContextPlugin(Model.class);
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /** A templatedRoute of the file that Camel could not make into a route. */
    private static final class TemplatedRouteFailed extends Exception {
        final String routeId;
        final Integer line;

        TemplatedRouteFailed(String routeId, Integer line, Exception cause) {
            super(cause.getMessage(), cause);
            this.routeId = routeId;
            this.line = line;
        }
    }
}
