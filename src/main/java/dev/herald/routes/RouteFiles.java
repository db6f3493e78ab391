package dev.herald.routes;

import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.LineNumberAware;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an operator's route file says that Camel does not tell: which templated routes it
 * defines (and on which line), and, when it cannot be loaded, what is wrong and on which line.
 */
final class RouteFiles {

    private RouteFiles() {
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
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage()).strip();
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    /** Where and what, in one phrase: "line 8, column 11: Unknown node id: fooBar". */
    static String where(Throwable e, Collection<RoutesBuilder> builders, Map<String, Integer> defined) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MarkedYamlEngineException y && y.getProblemMark().isPresent()) {
                return "line " + (y.getProblemMark().get().getLine() + 1) + ", column "
                        + (y.getProblemMark().get().getColumn() + 1) + ": " + y.getProblem().strip();
            }
            if (t instanceof Problem p) {
                return at(p.line) + p.getMessage();
            }
            if (t instanceof FailedToCreateRouteException f) {
                Integer line = stepLine(f, builders);
                return at(line != null ? line : defined.get(f.getRouteId())) + "(route " + f.getRouteId() + "): " + rootMessage(f);
            }
        }
        return rootMessage(e);
    }

    private static String at(Integer line) {
        return line == null ? "" : "line " + line + " ";
    }

    static Integer line(LineNumberAware node) {
        return node != null && node.getLineNumber() > 0 ? node.getLineNumber() : null;
    }

    /** The line of the step Camel names as the one that failed: "... at: >>> to[foo:bar] <<< in route ...". */
    private static Integer stepLine(FailedToCreateRouteException f, Collection<RoutesBuilder> builders) {
        String message = String.valueOf(f.getMessage());
        int at = message.indexOf(" at: >>> ");
        int end = message.indexOf(" <<< in route");
        if (at < 0 || end < at) {
            return null;
        }
        String step = message.substring(at + 9, end);
        for (RoutesBuilder b : builders) {
            if (b instanceof RouteBuilder rb) {
                for (RouteDefinition r : rb.getRouteCollection().getRoutes()) {
                    if (String.valueOf(r.getRouteId()).equals(f.getRouteId())) {
                        for (ProcessorDefinition<?> p : r.getOutputs()) {
                            if (p.toString().equals(step)) {
                                return line(p);
                            }
                        }
                    }
                }
            }
        }
        return null;
    }

    /** What is wrong with the file and on which line, when Camel's exception does not say. */
    static final class Problem extends Exception {
        final Integer line;

        Problem(Integer line, String message) {
            super(message);
            this.line = line;
        }
    }
}
