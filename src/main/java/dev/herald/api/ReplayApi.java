package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.delivery.log.Replay;
import dev.herald.error.HeraldException;

import org.apache.camel.Body;
import org.apache.camel.Header;

import java.util.Map;
import java.util.Set;

/** {@code POST /v1/webhooks/{id}/replay}: stored events the webhook never got, delivered now. */
public final class ReplayApi {

    /** The fields of the request; any other is refused (OpenApiTest holds the document to these). */
    public static final Set<String> FIELDS = Set.of("since", "until");

    private final Replay replay;

    public ReplayApi(Replay replay) {
        this.replay = replay;
    }

    /** {@code {"since": ISO, "until"?: ISO}} (until defaults to now, exclusive); 202 {@code {"replayed": n}}. */
    public ApiResponse replay(@Header("id") String id, @Body byte[] body) {
        JsonNode req = ApiInput.object(body, true, FIELDS);
        Long since = ApiInput.time(req, "since");
        if (since == null) {
            throw HeraldException.invalid("since", "since is required: an ISO-8601 time such as 2026-03-01T12:00:00Z");
        }
        Long until = ApiInput.time(req, "until");
        ApiInput.window(since, until);
        int replayed = replay.replay(id, since, until != null ? until : System.currentTimeMillis());
        return ApiResponse.accepted(Map.of("replayed", replayed));
    }
}
