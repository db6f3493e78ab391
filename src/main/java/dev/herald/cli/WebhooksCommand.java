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

/** {@code herald webhooks ...}: /v1/webhooks. */
@Command(name = "webhooks", mixinStandardHelpOptions = true, commandListHeading = "%nCommands:%n",
        description = "List, create, test, pause, resume and delete webhooks.",
        subcommands = {WebhooksCommand.ListHooks.class, WebhooksCommand.Get.class, WebhooksCommand.Create.class,
                WebhooksCommand.Test.class, WebhooksCommand.Pause.class, WebhooksCommand.Resume.class,
                WebhooksCommand.Delete.class})
final class WebhooksCommand {

    /** active, paused (by hand) or disabled (gone|failing): the one word a table needs. */
    static String state(JsonNode hook) {
        if (hook.path("active").asBoolean(false)) {
            return "active";
        }
        JsonNode reason = hook.path("disabled_reason");
        return reason.isNull() || reason.isMissingNode() ? "paused" : "disabled (" + reason.asText() + ")";
    }

    static void printOne(Output out, JsonNode hook) {
        out.fields(new String[][] {
                {"id", text(hook.path("id"))},
                {"url", text(hook.path("url"))},
                {"events", text(hook.path("events"))},
                {"state", state(hook)},
                {"name", text(hook.path("name"))},
                {"application_id", text(hook.path("application_id"))},
                {"retry_policy", text(hook.path("retry_policy"))},
                {"endpoint_state", text(hook.path("endpoint_state"))},
                {"secret", text(hook.path("secret"))},
                {"created_at", text(hook.path("created_at"))}});
    }

    private static String path(String id) {
        return "/v1/webhooks/" + segment(id);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List webhooks, oldest first.")
    static final class ListHooks extends ApiCommand {
        @Option(names = "--limit", description = "Rows per page, 1 to 250.")
        Integer limit;
        @Option(names = "--cursor", description = "The next page, as the previous one said.")
        String cursor;
        @Option(names = "--app", paramLabel = "APP", description = "Only this application's webhooks (its id or uid).")
        String app;

        @Override
        public void run() {
            List<Function<JsonNode, String>> columns = List.of(h -> text(h.path("id")), h -> text(h.path("url")),
                    h -> text(h.path("events")), WebhooksCommand::state);
            String base = app == null ? "/v1/webhooks" : ApplicationsCommand.path(app) + "/webhooks";
            call("GET", base + ApiClient.query("limit", limit, "cursor", cursor), null, app == null ? null : "application " + app,
                    (out, page) -> out.page(page, "data", new String[] {"ID", "URL", "EVENTS", "STATE"}, columns));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one webhook (its secret masked).")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            call("GET", path(id), null, "webhook " + id, WebhooksCommand::printOne);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a webhook; prints it with its secret (shown in full only now).")
    static final class Create extends ApiCommand {
        // The receiver's; Herald's own address is --server here (its old name --url works only before the group).
        @Option(names = "--url", required = true, paramLabel = "URL",
                description = "The receiver: where Herald POSTs the events (Herald's own address is --server).")
        String target;
        @Option(names = "--events", required = true, split = ",", paramLabel = "TYPE",
                description = "Event types or patterns, comma-separated (project.created,project.*,*).")
        List<String> events;
        @Option(names = "--secret", description = "Signing secret (default: Herald generates a whsec_... one).")
        String secret;
        @Option(names = "--retry-policy", paramLabel = "POLICY", description = "The retry table's name.")
        String retryPolicy;
        @Option(names = "--name", description = "A name for people.")
        String name;
        @Option(names = "--app", paramLabel = "APP", description = "Make it a webhook of this application (its id or uid).")
        String app;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("url", target);
            events.forEach(body.putArray("events")::add);
            putIfSet(body, "secret", secret);
            putIfSet(body, "retry_policy", retryPolicy);
            putIfSet(body, "name", name);
            if (app == null) {
                call("POST", "/v1/webhooks", body, null, WebhooksCommand::printOne);
            } else {
                call("POST", ApplicationsCommand.path(app) + "/webhooks", body, "application " + app, WebhooksCommand::printOne);
            }
        }

        private static void putIfSet(ObjectNode body, String field, String value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, description = "Send a {\"type\":\"test\"} event to this webhook only.")
    static final class Test extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            call("POST", path(id) + "/test", null, "webhook " + id, (out, queued) -> out.line("test event "
                    + text(queued.path("event_id")) + " queued as delivery " + text(queued.path("delivery_id"))));
        }
    }

    /** pause and resume: the same PATCH of "active". */
    abstract static class SetActive extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        void setActive(boolean active) {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("active", active);
            call("PATCH", path(id), body, "webhook " + id, (out, hook) -> out.line("webhook " + id + " " + state(hook)));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Hold its deliveries (they use no attempts).")
    static final class Pause extends SetActive {
        @Override
        public void run() {
            setActive(false);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused webhook, or re-enable a disabled one.")
    static final class Resume extends SetActive {
        @Override
        public void run() {
            setActive(true);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete it; its pending deliveries end as failed.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            call("DELETE", path(id), null, "webhook " + id, (out, none) -> out.line("webhook " + id + " deleted"));
        }
    }
}
