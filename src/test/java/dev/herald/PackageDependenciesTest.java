package dev.herald;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald's packages depend one way: each may use the packages before it in {@link #ORDER},
 * never one after it, so none can grow a cycle. Reads the main sources' imports and fully
 * qualified {@code dev.herald.x.} references in code (comments and string literals left out).
 * The same order is written in README.md's Layout section.
 */
class PackageDependenciesTest {

    /**
     * Lowest first. "" is {@code dev.herald} itself, the wiring, which may use every package. A
     * sub-package has its own place: delivery's rooms are the log (rows and attempts), the flow
     * (queue, endpoint bounds, scheduler, leases) on it, and the steps of its routes on both.
     */
    static final List<String> ORDER = List.of("error", "routes", "store", "tenancy", "filter", "catalog", "signing", "egress", "oauth", "event", "subscription",
            "delivery.log", "delivery.flow", "delivery.step", "retention", "ingest", "lifecycle", "metrics", "api", "ui", "cli", "");

    private static final Path MAIN = Path.of("src/main/java/dev/herald");
    /**
     * A class (or {@code *}) of {@code dev.herald}, its package in group 1 with a dot after it:
     * {@code dev.herald.store.Db} ("store."), {@code dev.herald.delivery.log.Attempt} ("delivery.log."),
     * {@code dev.herald.Name} (""). A package declaration names no class and is no reference.
     */
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.herald\\.((?:[a-z_]\\w*\\.)*)(?:[A-Z]\\w*|\\*)");

    @Test
    void everyPackageUsesOnlyThePackagesBeforeIt() throws IOException {
        List<String> violations = new ArrayList<>();
        Map<String, Integer> filesPerPackage = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(MAIN)) {
            for (Path file : walk.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String from = packageOf(MAIN.relativize(file));
                filesPerPackage.merge(from, 1, Integer::sum);
                violations.addAll(violations(file.toString(), from, Files.readString(file)));
            }
        }
        // Not vacuous: every package of the order has sources here (a moved source tree would pass otherwise).
        assertThat(filesPerPackage.keySet()).containsExactlyInAnyOrderElementsOf(ORDER);
        assertThat(violations).as("dependencies against the order %s (lowest first, \"\" = dev.herald)", ORDER)
                .isEmpty();
    }

    @Test
    void theScanSeesImportsAndQualifiedNamesButNotCommentsOrStrings() {
        String source = """
                package dev.herald.delivery.step;

                import dev.herald.ingest.NewEvent;
                import static dev.herald.api.Views.event;
                import dev.herald.store.Database;

                /** See {@link dev.herald.api.DeliveryApi}. */
                class X {
                    // dev.herald.api.WebhookApi
                    String s = "dev.herald.api.ApiRoutes \\" dev.herald.ingest.X";
                    String t = \"""
                        dev.herald.api.Text
                        \""";
                    char q = '"';
                    Object o = new dev.herald.ingest.IngestService(); /* dev.herald.api.Y */
                    Object r = dev.herald.HeraldConfiguration.class;
                }
                """;
        assertThat(violations("X.java", "delivery.step", source)).containsExactly(
                "X.java:3: import dev.herald.ingest.NewEvent; (delivery.step may not use ingest)",
                "X.java:4: import static dev.herald.api.Views.event; (delivery.step may not use api)",
                "X.java:15: Object o = new dev.herald.ingest.IngestService(); /* dev.herald.api.Y */"
                        + " (delivery.step may not use ingest)",
                "X.java:16: Object r = dev.herald.HeraldConfiguration.class; (delivery.step may not use dev.herald)");
        // Sub-packages by their own place: the log is below the flow, which is below the steps.
        assertThat(violations("Z.java", "delivery.log", """
                import dev.herald.delivery.log.Attempt;
                import dev.herald.store.Database;
                import dev.herald.delivery.flow.DispatchTicket;
                Object o = dev.herald.delivery.step.DeliveryJob.PROPERTY;
                """)).containsExactly(
                "Z.java:3: import dev.herald.delivery.flow.DispatchTicket; (delivery.log may not use delivery.flow)",
                "Z.java:4: Object o = dev.herald.delivery.step.DeliveryJob.PROPERTY; (delivery.log may not use delivery.step)");
        assertThat(violations("W.java", "delivery.step", "import dev.herald.delivery.flow.DispatchTicket;\n"
                + "import dev.herald.delivery.log.Attempt;\nimport dev.herald.delivery.Gone;\n"))
                .containsExactly("W.java:3: import dev.herald.delivery.Gone; (delivery.step may not use delivery)");
        assertThat(violations("Y.java", "newthing", "package dev.herald.newthing;\n"))
                .containsExactly("Y.java: package newthing is not in PackageDependenciesTest.ORDER; place it there");
    }

    /** One line per reference to a package that {@code from} may not use. */
    static List<String> violations(String file, String from, String source) {
        int rank = ORDER.indexOf(from);
        if (rank < 0) {
            return List.of(file + ": package " + from + " is not in PackageDependenciesTest.ORDER; place it there");
        }
        List<String> out = new ArrayList<>();
        String[] code = codeOnly(source).split("\n", -1);
        String[] original = source.split("\n", -1);
        for (int i = 0; i < code.length; i++) {
            Matcher m = REFERENCE.matcher(code[i]);
            while (m.find()) {
                String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
                int toRank = ORDER.indexOf(to);
                if (!to.equals(from) && (toRank < 0 || toRank > rank)) {
                    out.add(file + ":" + (i + 1) + ": " + original[i].trim() + " (" + name(from) + " may not use "
                            + name(to) + ")");
                }
            }
        }
        return out;
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "dev.herald" : pkg;
    }

    /** The package a source belongs to, relative to dev/herald ("delivery.log"), "" for the root package. */
    private static String packageOf(Path relative) {
        Path folder = relative.getParent();
        return folder == null ? "" : folder.toString().replace(relative.getFileSystem().getSeparator(), ".");
    }

    /** The source with comments and string and char literals blanked; line breaks kept, so line numbers hold. */
    static String codeOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            String end;
            if (s.startsWith("//", i)) {
                end = "\n";
            } else if (s.startsWith("/*", i)) {
                end = "*/";
            } else if (s.startsWith("\"\"\"", i)) {
                end = "\"\"\"";
            } else if (c == '"' || c == '\'') {
                end = String.valueOf(c);
            } else {
                out.append(c);
                i++;
                continue;
            }
            int close = closing(s, i + (end.equals("\"\"\"") || end.equals("*/") ? end.length() : 1), end);
            for (int k = i; k < close; k++) {
                out.append(s.charAt(k) == '\n' ? '\n' : ' ');
            }
            i = close;
        }
        return out.toString();
    }

    /**
     * Index just past {@code end}, searched from {@code from}, skipping backslash escapes inside
     * literals; a line comment ends before its line break.
     */
    private static int closing(String s, int from, String end) {
        boolean literal = !end.equals("\n") && !end.equals("*/");
        int i = from;
        while (i < s.length()) {
            if (literal && s.charAt(i) == '\\') {
                i += 2;
            } else if (s.startsWith(end, i)) {
                return end.equals("\n") ? i : i + end.length();
            } else {
                i++;
            }
        }
        return s.length();
    }
}
