package dev.herald;

import dev.herald.cli.HeraldCli;
import dev.herald.error.HeraldException;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Starts Herald: Camel Main scans this package for {@code @Configuration} classes
 * and route builders, loads the YAML source routes and reads application.properties
 * from the classpath, then from the working directory (operator overrides).
 */
public final class Herald {

    public static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties";

    private Herald() {
    }

    public static Main create() {
        Main main = new Main(Herald.class);
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                // Camel refuses a missing folder in routes-include-pattern; an empty one loads nothing.
                String dir = m.getCamelContext().resolvePropertyPlaceholders("{{herald.routes.dir}}");
                try {
                    Files.createDirectories(Path.of(dir));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create herald.routes.dir " + dir, e);
                }
            }
        });
        return main;
    }

    /** No arguments or {@code serve [camel args]}: the server; anything else: the command line client. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].equals("serve")) {
            System.exit(HeraldCli.run(args));
        }
        serve(args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args);
    }

    private static void serve(String[] args) throws Exception {
        Main main = create();
        // SIGTERM and SIGINT end the run loop; Camel stops gracefully (routes drain, leases are handed
        // back, the pool closes) and the process exits 0 instead of the JVM's 143 for a signal.
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> main.completed());
        }
        int code;
        try {
            code = main.run(args);
        } catch (Exception e) {
            code = 1;
            // A setting or a file the operator can fix: one line that says what, not a stack trace.
            String fixable = fixable(e);
            if (fixable != null) {
                LoggerFactory.getLogger(Herald.class).error("Herald did not start: {}", fixable);
            } else {
                LoggerFactory.getLogger(Herald.class).error("Herald did not start", e);
            }
        }
        System.exit(code);
    }

    /** The message of the first cause an operator can fix (a setting, a file, the data directory in use); null for none. */
    static String fixable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if ((t instanceof IllegalArgumentException || t instanceof IllegalStateException) && t.getMessage() != null) {
                return t.getMessage();
            }
            // A setting refused by the parsers the API shares (durations, retry tables): they name it as a field.
            if (t instanceof HeraldException h && h.field() != null && h.field().startsWith("herald.")) {
                return h.field() + ": " + h.getMessage();
            }
        }
        return null;
    }
}
