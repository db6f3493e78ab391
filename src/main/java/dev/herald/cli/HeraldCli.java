package dev.herald.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * {@code herald [--url H] <group> <command>}: a client of a running Herald over its /v1 API.
 * --api-key and --json are inherited, so they may stand anywhere; --url only before the group,
 * because {@code webhooks create --url} names the receiver.
 */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class,
        description = "Manage a running Herald over its HTTP API. Without arguments, or with 'serve', runs the server.",
        subcommands = {ServeCommand.class, WebhooksCommand.class, DeliveriesCommand.class, EventsCommand.class},
        footer = {"", "Exit codes: 0 success, 1 API error or Herald unreachable, 2 usage error."})
public final class HeraldCli {

    // No picocli defaultValue: a subcommand re-applies inherited defaults and would undo a value given
    // before it; the fallbacks are resolved when a request is made (ApiClient.from).
    @Option(names = "--url", paramLabel = "URL",
            description = "Herald's API, before the command (default: env HERALD_URL, else http://127.0.0.1:8080).")
    String url;

    @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "API key (default: env HERALD_API_KEY, else the file data/api-key here).")
    String apiKey;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the API's JSON as is, for scripts.")
    boolean json;

    // Not Runnable, nor are the groups: picocli answers "Missing required subcommand" and the usage, exit 2.

    /** The command line with one-line errors; out and err are where it writes (the console, or a test's writers). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new HeraldCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(e instanceof CliException ? e.getMessage() : oneLine(e));
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    public static int run(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A failure the CLI did not foresee still gets one line, never a stack trace. */
    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        return "unexpected error: " + e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HeraldCli.class.getPackage().getImplementationVersion();
            return new String[] {"herald " + (v == null ? "(development build)" : v)};
        }
    }
}
