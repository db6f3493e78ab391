package dev.herald.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code herald <group> <command> [--server H] [--api-key K] [--json]}: a client of a running Herald over its /v1 API.
 * --server, --api-key and --json are inherited, so they may stand before or after any command word.
 * --url is --server's old name, kept before the group only: {@code webhooks create --url} names the receiver.
 */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class,
        description = "Manage a running Herald over its HTTP API. Without arguments, or with 'serve', runs the server.",
        subcommands = {ServeCommand.class, WebhooksCommand.class, DeliveriesCommand.class, EventsCommand.class,
                ApplicationsCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit codes: 0 success, 1 API error or Herald unreachable, 2 usage error."})
public final class HeraldCli {

    // No picocli defaultValue: a subcommand re-applies inherited defaults and would undo a value given
    // before it; the fallbacks are resolved when a request is made (ApiClient.from).
    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Herald's address (default: env HERALD_URL,%n  else " + ApiClient.DEFAULT_URL + ").")
    String server;

    /** Not inherited: after the group it would clash with webhooks create --url (the receiver). */
    @Option(names = "--url", paramLabel = "URL",
            description = "Deprecated: the old name of --server, accepted only here, before the command.")
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
        cl.setParameterExceptionHandler(hintAtOldUrl(cl.getParameterExceptionHandler()));
        groupInheritedOptions(cl);
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

    /** Every help page lists the command's own options, then the inherited ones under their own heading. */
    private static void groupInheritedOptions(CommandLine command) {
        command.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> {
            List<OptionSpec> own = new ArrayList<>();
            List<OptionSpec> everywhere = new ArrayList<>();
            for (OptionSpec option : help.commandSpec().options()) {
                (option.scopeType() == ScopeType.INHERIT ? everywhere : own).add(option);
            }
            return optionList(help, own) + help.optionListGroupSections()
                    + help.createHeading("%nFor every command, before or after it:%n") + optionList(help, everywhere);
        });
        command.getSubcommands().values().forEach(HeraldCli::groupInheritedOptions);
    }

    private static String optionList(CommandLine.Help help, List<OptionSpec> options) {
        return help.optionListExcludingGroups(options, help.createDefaultLayout(), help.createDefaultOptionSort(),
                help.parameterLabelRenderer());
    }

    /** {@code webhooks list --url H} is an unknown option there: after picocli's line, say which name works. */
    private static CommandLine.IParameterExceptionHandler hintAtOldUrl(CommandLine.IParameterExceptionHandler usage) {
        return (e, args) -> {
            if (!(e instanceof CommandLine.UnmatchedArgumentException u)
                    || u.getUnmatched().stream().noneMatch(a -> a.equals("--url") || a.startsWith("--url="))) {
                return usage.handleParseException(e, args);
            }
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println(e.getMessage());
            err.println("Herald's address is --server URL; --url is its old name, accepted only right after 'herald' "
                    + "(after 'webhooks create' --url is the receiver's).");
            command.usage(err);
            return command.getCommandSpec().exitCodeOnInvalidInput();
        };
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
