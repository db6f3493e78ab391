package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.function.Function;

import static dev.herald.cli.ApiClient.query;
import static dev.herald.cli.ApiClient.segment;
import static dev.herald.cli.Output.text;

/** {@code herald deliveries ...}: the delivery log, manual retry and skip. */
@Command(name = "deliveries", mixinStandardHelpOptions = true, commandListHeading = "%nCommands:%n",
        description = "List and inspect deliveries, retry or skip one.",
        subcommands = {DeliveriesCommand.ListDeliveries.class, DeliveriesCommand.Get.class, DeliveriesCommand.Retry.class,
                DeliveriesCommand.Skip.class})
final class DeliveriesCommand {

    enum Status { pending, success, failed }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List deliveries, newest first.")
    static final class ListDeliveries extends ApiCommand {
        @Option(names = "--webhook", paramLabel = "ID", description = "One webhook's deliveries (default: all webhooks).")
        String webhook;
        @Option(names = "--status", description = "Only these: ${COMPLETION-CANDIDATES}.")
        Status status;
        @Option(names = "--limit", description = "Rows per page, 1 to 250.")
        Integer limit;
        @Option(names = "--cursor", description = "The next page, as the previous one said.")
        String cursor;

        @Override
        public void run() {
            // The webhook's own list answers 404 for an unknown id; the search would answer an empty list.
            String path = webhook == null ? "/v1/deliveries" : "/v1/webhooks/" + segment(webhook) + "/deliveries";
            List<Function<JsonNode, String>> columns = List.of(d -> text(d.path("id")), d -> text(d.path("status")),
                    d -> text(d.path("attempts")), d -> text(d.path("status_code")), d -> text(d.path("created_at")),
                    d -> text(d.path("webhook_id")));
            call("GET", path + query("status", status, "limit", limit, "cursor", cursor), null,
                    webhook == null ? null : "webhook " + webhook, (out, page) -> out.page(page, "deliveries",
                            new String[] {"ID", "STATUS", "ATTEMPTS", "STATUS_CODE", "CREATED_AT", "WEBHOOK"}, columns));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a delivery and its attempts.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            call("GET", "/v1/deliveries/" + segment(id), null, "delivery " + id, (out, d) -> {
                out.fields(new String[][] {
                        {"id", text(d.path("id"))},
                        {"status", text(d.path("status"))},
                        {"webhook", text(d.path("webhook_id"))},
                        {"event", text(d.path("event_id"))},
                        {"attempts", text(d.path("attempts").isArray() ? d.path("attempts").size() : d.path("attempts"))},
                        {"status_code", text(d.path("status_code"))},
                        {"next_attempt_at", text(d.path("next_attempt_at"))},
                        {"delivered_at", text(d.path("delivered_at"))},
                        {"error", text(d.path("error"))},
                        {"created_at", text(d.path("created_at"))}});
                if (d.path("attempts").isArray() && !d.path("attempts").isEmpty()) {
                    out.line("");
                    List<Function<JsonNode, String>> columns = List.of(t -> text(t.path("attempt")),
                            t -> text(t.path("started_at")), t -> text(t.path("duration_ms")),
                            t -> text(t.path("response").path("status_code")), t -> text(t.path("trigger")),
                            t -> text(t.path("error")));
                    out.table(new String[] {"ATTEMPT", "STARTED_AT", "MS", "STATUS_CODE", "TRIGGER", "ERROR"},
                            d.path("attempts"), columns);
                }
            });
        }

        private static String text(Object value) {
            return value instanceof JsonNode n ? Output.text(n) : String.valueOf(value);
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "One new attempt now (not while it is pending).")
    static final class Retry extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            call("POST", "/v1/deliveries/" + segment(id) + "/retry", null, "delivery " + id,
                    (out, none) -> out.line("delivery " + id + " queued for a new attempt"));
        }
    }

    @Command(name = "skip", mixinStandardHelpOptions = true,
            description = "End a delivery still in its ordered line (waiting, or blocking its key) as failed; the next of its key goes.")
    static final class Skip extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            call("POST", "/v1/deliveries/" + segment(id) + "/skip", null, "delivery " + id,
                    (out, none) -> out.line("delivery " + id + " skipped: failed, the next of its key goes"));
        }
    }
}
