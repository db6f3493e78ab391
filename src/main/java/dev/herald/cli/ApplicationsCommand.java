package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.function.Function;

import static dev.herald.cli.ApiClient.segment;
import static dev.herald.cli.Output.text;

/** {@code herald applications ...}: /v1/applications, the tenants, and their portal links. */
@Command(name = "applications", mixinStandardHelpOptions = true, commandListHeading = "%nCommands:%n",
        description = "List, create, show and delete applications (your customers); make a customer portal link.",
        subcommands = {ApplicationsCommand.ListApps.class, ApplicationsCommand.Get.class, ApplicationsCommand.Create.class,
                ApplicationsCommand.Delete.class, ApplicationsCommand.Portal.class})
final class ApplicationsCommand {

    static void printOne(Output out, JsonNode app) {
        out.fields(new String[][] {
                {"id", text(app.path("id"))},
                {"uid", text(app.path("uid"))},
                {"name", text(app.path("name"))},
                {"metadata", text(app.path("metadata"))},
                {"created_at", text(app.path("created_at"))}});
    }

    /** The path of an application, by its id or uid. */
    static String path(String app) {
        return "/v1/applications/" + segment(app);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List applications, oldest first.")
    static final class ListApps extends ApiCommand {
        @Option(names = "--limit", description = "Rows per page, 1 to 250.")
        Integer limit;
        @Option(names = "--cursor", description = "The next page, as the previous one said.")
        String cursor;

        @Override
        public void run() {
            List<Function<JsonNode, String>> columns = List.of(a -> text(a.path("id")), a -> text(a.path("uid")),
                    a -> text(a.path("name")));
            call("GET", "/v1/applications" + ApiClient.query("limit", limit, "cursor", cursor), null, null,
                    (out, page) -> out.page(page, "data", new String[] {"ID", "UID", "NAME"}, columns));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one application.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Its id (app_...) or uid.")
        String app;

        @Override
        public void run() {
            call("GET", path(app), null, "application " + app, ApplicationsCommand::printOne);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an application.")
    static final class Create extends ApiCommand {
        @Option(names = "--name", required = true, description = "Its name, as its people know it.")
        String name;
        @Option(names = "--uid", description = "Your own id for it (letters, digits, . _ -); works in place of its id.")
        String uid;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("name", name);
            if (uid != null) {
                body.put("uid", uid);
            }
            call("POST", "/v1/applications", body, null, ApplicationsCommand::printOne);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete it with its webhooks and keys; their pending deliveries end as failed.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Its id (app_...) or uid.")
        String app;

        @Override
        public void run() {
            call("DELETE", path(app), null, "application " + app, (out, none) -> out.line("application " + app + " deleted"));
        }
    }

    @Command(name = "portal", mixinStandardHelpOptions = true,
            description = "Make a customer portal link for it: its own dashboard, until the link expires.")
    static final class Portal extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Its id (app_...) or uid.")
        String app;
        @Option(names = "--expires-in", paramLabel = "DURATION", description = "How long the link works: 90m, 12h, 7d at most (default 1h).")
        String expiresIn;
        @Option(names = "--read-only", description = "The link shows everything and changes nothing.")
        boolean readOnly;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (expiresIn != null) {
                body.put("expires_in", expiresIn);
            }
            if (readOnly) {
                body.put("read_only", true);
            }
            call("POST", path(app) + "/portal", body, "application " + app, (out, link) -> {
                out.line(text(link.path("url")));
                out.line("expires at " + text(link.path("expires_at")) + (readOnly ? ", read-only" : "")
                        + "; revoke it as key " + text(link.path("key_id")) + " (herald's keys list shows it)");
            });
        }
    }
}
