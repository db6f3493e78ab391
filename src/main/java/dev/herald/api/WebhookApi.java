package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.catalog.Catalog;
import dev.herald.delivery.log.Delivery;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.delivery.log.DeliveryReads;
import dev.herald.delivery.flow.EndpointBreaker;
import dev.herald.delivery.flow.EndpointLimiter;
import dev.herald.delivery.flow.Holds;
import dev.herald.delivery.flow.Redelivery;
import dev.herald.delivery.log.Replay;
import dev.herald.delivery.log.OrderControls;
import dev.herald.egress.AddressPolicy;
import dev.herald.error.HeraldException;
import dev.herald.event.NewEvent;
import dev.herald.ingest.IngestReply;
import dev.herald.ingest.IngestService;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.store.Json;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.RetrySchedule;
import dev.herald.subscription.SecretRotation;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;
import dev.herald.subscription.WebhookRequest;
import dev.herald.subscription.WebhookStates;

import dev.herald.tenancy.ApplicationStore;
import dev.herald.tenancy.Scope;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/webhooks} and {@code /v1/applications/{app}/webhooks}: create, list, read, update, delete,
 * test, delivery log, recovery. Every call keeps to its key's scope ({@link ScopeGuard}).
 */
public final class WebhookApi {

    private static final Set<String> STATUSES = Set.of(Delivery.PENDING, Delivery.SUCCESS, Delivery.FAILED);
    /** The fields of {@code POST /v1/webhooks/{id}/recover}; any other is refused (OpenApiTest holds the document to these). */
    public static final Set<String> RECOVER_FIELDS = Set.of("since");
    /** The fields of {@code POST /v1/webhooks/{id}/rotate-secret}. */
    public static final Set<String> ROTATE_FIELDS = Set.of("secret", "grace_period");

    private final Database db;
    private final WebhookRepository webhooks;
    private final DeliveryClaims claims;
    private final DeliveryReads deliveries;
    private final Redelivery redelivery;
    private final WebhookRequest requests;
    private final SecretRotation rotation;
    private final RetryPolicies policies;
    private final IngestService ingest;
    private final int pageSize;
    private final EndpointBreaker breaker;
    private final Holds holds = new Holds();
    private final WebhookStates states;
    private final Catalog catalog;
    private final VisibleWebhooks visible;
    private final WebhookRemoval removal;
    private final ApplicationStore applications = new ApplicationStore();
    private final ScopedApplications names;
    /** A webhook shows at most this many blocked lines (by key). */
    private static final int MAX_BLOCKED_SHOWN = 100;

    public WebhookApi(Database db, WebhookRepository webhooks, DeliveryClaims claims, DeliveryReads deliveries,
                      Redelivery redelivery, RetryPolicies policies, AddressPolicy addressPolicy,
                      java.util.function.Predicate<String> transformRunning, IngestService ingest, EndpointBreaker breaker,
                      int pageSize, Catalog catalog) {
        this.catalog = catalog;
        this.breaker = breaker;
        this.states = new WebhookStates(webhooks);
        this.db = db;
        this.webhooks = webhooks;
        this.claims = claims;
        this.deliveries = deliveries;
        this.redelivery = redelivery;
        this.requests = new WebhookRequest(policies, addressPolicy, transformRunning);
        this.rotation = new SecretRotation(webhooks);
        this.policies = policies;
        this.ingest = ingest;
        this.pageSize = pageSize;
        this.visible = new VisibleWebhooks(db, webhooks);
        this.removal = new WebhookRemoval(claims, webhooks);
        this.names = new ScopedApplications(db);
    }

    /** {@code POST /v1/webhooks}: the operator's own webhook, or with an application's key one of that application. */
    public ApiResponse create(Exchange exchange, @Body byte[] body) {
        Scope scope = ScopeGuard.of(exchange);
        ScopeGuard.requireChange(scope);
        String owner = ScopeGuard.owner(scope);
        return insert(owner, owner, body);
    }

    /** {@code POST /v1/applications/{app}/webhooks}: a webhook of the application named by id or uid. */
    public ApiResponse createFor(Exchange exchange, @Header("app") String app, @Body byte[] body) {
        Scope scope = ScopeGuard.of(exchange);
        String application = names.inPath(scope, app);
        ScopeGuard.requireChange(scope);
        return insert(application, app, body);
    }

    private ApiResponse insert(String application, String named, byte[] body) {
        JsonNode req = ApiInput.json(body, true);
        Webhook w = requests.create(Ids.webhook(), application, req, System.currentTimeMillis());
        CatalogPatterns.require(catalog, req.get("events"), List.of());
        db.inTransaction(c -> {
            // The application's row locked: its deletion waits for this webhook, and then deletes it too.
            if (application != null && applications.findForUpdate(c, application).isEmpty()) {
                throw HeraldException.notFound("application", named);
            }
            webhooks.insert(c, w);
            return null;
        });
        return ApiResponse.created(view(w, true));
    }

    /** {@code GET /v1/webhooks}: all the scope sees, or one application's with {@code ?application=<id|uid>}. */
    public ApiResponse list(Exchange exchange, @Header("limit") String limit, @Header("cursor") String cursor,
                            @Header("include_secret") String includeSecret, @Header("application") String application) {
        return page(names.filter(ScopeGuard.of(exchange), application).orElse(null), limit, cursor, includeSecret);
    }

    /** {@code GET /v1/applications/{app}/webhooks}. */
    public ApiResponse listFor(Exchange exchange, @Header("app") String app, @Header("limit") String limit,
                               @Header("cursor") String cursor, @Header("include_secret") String includeSecret) {
        return page(names.inPath(ScopeGuard.of(exchange), app), limit, cursor, includeSecret);
    }

    private ApiResponse page(String application, String limit, String cursor, String includeSecret) {
        int n = ApiInput.limit(limit, pageSize);
        boolean secrets = ApiInput.flag(includeSecret, "include_secret");
        List<Webhook> page = db.read(c -> webhooks.list(c, application, blankToNull(cursor), n + 1));
        boolean more = page.size() > n;
        List<Webhook> shown = more ? page.subList(0, n) : page;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", shown.stream().map(w -> view(w, secrets)).toList());
        out.put("has_more", more);
        out.put("next_cursor", more ? shown.get(shown.size() - 1).id() : null);
        return ApiResponse.ok(out);
    }

    public ApiResponse get(Exchange exchange, @Header("id") String id, @Header("include_secret") String includeSecret) {
        boolean secrets = ApiInput.flag(includeSecret, "include_secret");
        return ApiResponse.ok(view(visible.find(ScopeGuard.of(exchange), id), secrets));
    }

    public ApiResponse patch(Exchange exchange, @Header("id") String id, @Body byte[] body) {
        JsonNode patch = ApiInput.json(body, true);
        Scope scope = ScopeGuard.of(exchange);
        Webhook before = visible.find(scope, id);
        ScopeGuard.requireChange(scope);
        Webhook updated = db.inTransaction(c -> {
            // Locked like a rotation: a patch written over a concurrent rotation would undo it.
            Webhook current = webhooks.findForUpdate(c, id).orElseThrow(() -> HeraldException.notFound("webhook", id));
            Webhook w = requests.patch(current, patch, System.currentTimeMillis());
            CatalogPatterns.require(catalog, patch.get("events"), current.events());
            webhooks.update(c, w);
            if (current.ordering() != null && !current.ordering().sameLines(w.ordering())) {
                // Ordering removed or keyed anew: deliveries waiting in the old lines go now, unordered.
                claims.orderControls().release(c, id, System.currentTimeMillis());
            }
            if (w.active() && !current.active()) {
                // Resumed or enabled again: its held deliveries continue on their table, its failing clock restarts.
                holds.resume(c, id);
                states.notFailing(c, id);
            }
            return w;
        });
        // From a key pair to a shared secret: the new secret is shown once, as create shows it.
        return ApiResponse.ok(view(updated, before.signature().signsWithKeyPair() && !updated.signature().signsWithKeyPair()));
    }

    public ApiResponse delete(Exchange exchange, @Header("id") String id) {
        Scope scope = ScopeGuard.of(exchange);
        visible.find(scope, id);
        ScopeGuard.requireChange(scope);
        boolean deleted = db.inTransaction(c -> removal.remove(c, id, WebhookRemoval.WEBHOOK_DELETED, System.currentTimeMillis()));
        if (!deleted) {
            throw HeraldException.notFound("webhook", id);
        }
        return ApiResponse.noContent();
    }

    /** Sends a {@code test} event to this webhook alone, active or not. */
    public ApiResponse test(Exchange exchange, @Header("id") String id) {
        Scope scope = ScopeGuard.of(exchange);
        Webhook w = visible.find(scope, id);
        ScopeGuard.requireChange(scope);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhook_id", w.id());
        data.put("message", "This is a test event from Herald.");
        NewEvent event = new NewEvent(Ids.event(), Replay.TEST_TYPE, System.currentTimeMillis(), Json.write(data));
        IngestReply reply = ingest.storeFor(w, event);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event_id", event.id());
        out.put("delivery_id", reply.events().get(0).deliveries().get(0));
        return ApiResponse.accepted(out);
    }

    public ApiResponse deliveries(Exchange exchange, @Header("id") String id, @Header("status") String status,
                                  @Header("limit") String limit, @Header("cursor") String cursor) {
        int n = ApiInput.limit(limit, pageSize);
        String s = blankToNull(status);
        if (s != null && !STATUSES.contains(s)) {
            throw HeraldException.invalid("status", "status must be pending, success or failed");
        }
        visible.find(ScopeGuard.of(exchange), id);
        List<Delivery> page = db.read(c -> deliveries.listForWebhook(c, id, s, blankToNull(cursor), n + 1));
        boolean more = page.size() > n;
        List<Delivery> shown = more ? page.subList(0, n) : page;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deliveries", shown.stream().map(Views::delivery).toList());
        out.put("has_more", more);
        out.put("next_cursor", more ? shown.get(shown.size() - 1).id() : null);
        return ApiResponse.ok(out);
    }

    /** Re-arms every failed delivery of the webhook created since a time: one new attempt each. */
    public ApiResponse recover(Exchange exchange, @Header("id") String id, @Body byte[] body) {
        JsonNode req = ApiInput.object(body, true, RECOVER_FIELDS);
        JsonNode since = req.get("since");
        if (since == null || !since.isTextual()) {
            throw HeraldException.invalid("since", "since is required: an ISO-8601 time such as 2026-03-01T12:00:00Z");
        }
        long sinceMillis;
        try {
            sinceMillis = OffsetDateTime.parse(since.asText()).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw HeraldException.invalid("since", "since must be an ISO-8601 time such as 2026-03-01T12:00:00Z");
        }
        Scope scope = ScopeGuard.of(exchange);
        visible.find(scope, id);
        ScopeGuard.requireChange(scope);
        List<String> recovered = redelivery.recover(id, sinceMillis);
        return ApiResponse.accepted(Map.of("recovered", recovered.size()));
    }

    /**
     * Replaces the secret (given, or generated). The old one keeps signing, next to the
     * new one, for the grace period (default 24h) in dialects that carry several signatures;
     * so do earlier ones still in theirs ({@link SecretRotation}).
     */
    public ApiResponse rotateSecret(Exchange exchange, @Header("id") String id, @Body byte[] body) {
        JsonNode req = ApiInput.object(body, false, ROTATE_FIELDS);
        long grace = 24 * 3_600_000L;
        if (req.hasNonNull("grace_period")) {
            if (!req.get("grace_period").isTextual()) {
                throw HeraldException.invalid("grace_period", "grace_period is a duration such as \"24h\" or \"0s\"");
            }
            grace = RetrySchedule.parseDelay(req.get("grace_period").asText(), "grace_period").toMillis();
        }
        if (req.has("secret") && !req.get("secret").isNull() && !req.get("secret").isTextual()) {
            throw HeraldException.invalid("secret", "secret must be a string");
        }
        String newSecret = req.hasNonNull("secret") ? req.get("secret").asText() : null; // null: SecretRotation generates
        long graceMillis = grace;
        Scope scope = ScopeGuard.of(exchange);
        visible.find(scope, id);
        ScopeGuard.requireChange(scope);
        Webhook rotated = db.inTransaction(c -> rotation.rotate(c, id, newSecret, graceMillis, System.currentTimeMillis()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rotated.id());
        out.put("secret", Views.secret(rotated, true));
        out.put("public_key", Views.publicKey(rotated));
        // The secret just replaced: the newest previous one (null with a grace period of 0s).
        out.put("previous_secret_expires_at", rotated.previousSecrets().isEmpty() ? null
                : dev.herald.delivery.log.PayloadRenderer.iso(rotated.previousSecrets().get(0).until()));
        return ApiResponse.ok(out);
    }

    /** A webhook as the API shows it (ApplicationApi's calls too). */
    Map<String, Object> view(Webhook w, boolean showSecret) {
        String endpoint = EndpointLimiter.key(w.url());
        String state = breaker.state(endpoint, System.currentTimeMillis()).name().toLowerCase(Locale.ROOT);
        List<OrderControls.Blocked> blocked = w.ordering() == null ? List.of()
                : db.read(c -> claims.orderControls().blocked(c, w.id(), MAX_BLOCKED_SHOWN));
        return Views.webhook(w, showSecret, policies, state, breaker.failing(endpoint), blocked);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
