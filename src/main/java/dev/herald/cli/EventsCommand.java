package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static dev.herald.cli.Output.text;

/** {@code herald events send}: POST /v1/events with one event. */
@Command(name = "events", mixinStandardHelpOptions = true, commandListHeading = "%nCommands:%n",
        description = "Send events.",
        subcommands = {EventsCommand.Send.class})
final class EventsCommand {

    @Command(name = "send", mixinStandardHelpOptions = true, description = "Send one event to every webhook subscribed to its type.")
    static final class Send extends ApiCommand {
        @Option(names = "--type", required = true, description = "The event type, e.g. project.created.")
        String type;
        @Option(names = "--id", description = "The event id (makes re-sends idempotent; default: Herald picks one).")
        String id;
        @Option(names = "--app", paramLabel = "APP", description = "Send it to this application's webhooks only (its id or uid).")
        String app;

        /** Exactly one of --data and --file: picocli says so (exit 2) when both or neither are given. */
        @ArgGroup(exclusive = true, multiplicity = "1")
        DataSource data;

        static final class DataSource {
            @Option(names = "--data", paramLabel = "JSON", description = "The data object as JSON.")
            String json;
            @Option(names = "--file", paramLabel = "FILE", description = "A file holding the data object as JSON.")
            Path file;
        }

        @Override
        public void run() {
            ObjectNode event = ApiClient.JSON.createObjectNode();
            if (id != null) {
                event.put("id", id);
            }
            event.put("type", type);
            event.set("data", readData());
            String path = app == null ? "/v1/events" : ApplicationsCommand.path(app) + "/events";
            call("POST", path, event, app == null ? null : "application " + app, (out, sent) -> out.line("event " + text(sent.path("id"))
                    + (sent.path("duplicate").asBoolean(false) ? " was sent before: no new deliveries"
                    : " accepted, deliveries: " + (sent.path("deliveries").isEmpty() ? "none (no webhook subscribed)"
                    : text(sent.path("deliveries"))))));
        }

        private JsonNode readData() {
            String source = data.json != null ? "--data" : data.file.toString();
            String text;
            try {
                text = data.json != null ? data.json : Files.readString(data.file);
            } catch (NoSuchFileException e) {
                throw new CliException("no such file: " + data.file);
            } catch (IOException e) {
                throw new CliException("cannot read " + data.file + ": " + e.getMessage());
            }
            try {
                return ApiClient.JSON.readTree(text);
            } catch (IOException e) {
                // Jackson's first line says what and where; the rest quotes the input back.
                throw new CliException(source + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }
}
