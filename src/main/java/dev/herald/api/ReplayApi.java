package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.delivery.log.Replay;
import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;
import dev.herald.tenancy.Scope;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.Map;
import java.util.Set;

/** {@code POST /v1/webhooks/{id}/replay}: stored events the webhook never got, delivered now. */
public final class ReplayApi {

    /** The fields of the request; any other is refused (OpenApiTest holds the document to these). */
    public static final Set<String> FIELDS = Set.of("since", "until");

    private final Replay replay;
    private final VisibleWebhooks visible;

    public ReplayApi(Replay replay, Database db, WebhookRepository webhooks) {
        this.replay = replay;
        this.visible = new VisibleWebhooks(db, webhooks);
    }

    /** {@code {"since": ISO, "until"?: ISO}} (until defaults to now, exclusive); 202 {@code {"replayed": n}}. */
    public ApiResponse replay(Exchange exchange, @Header("id") String id, @Body byte[] body) {
        JsonNode req = ApiInput.object(body, true, FIELDS);
        Long since = ApiInput.time(req, "since");
        if (since == null) {
            throw HeraldException.invalid("since", "since is required: an ISO-8601 time such as 2026-03-01T12:00:00Z");
        }
        Long until = ApiInput.time(req, "until");
        ApiInput.window(since, until);
        // An application's key replays only to its own webhooks; another's is missing.
        Scope scope = ScopeGuard.of(exchange);
        visible.find(scope, id);
        ScopeGuard.requireChange(scope);
        int replayed = replay.replay(id, since, until != null ? until : System.currentTimeMillis());
        return ApiResponse.accepted(Map.of("replayed", replayed));
    }
}
