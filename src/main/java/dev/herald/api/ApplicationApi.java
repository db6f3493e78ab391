package dev.herald.api;

import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.subscription.WebhookRepository;
import dev.herald.tenancy.Application;
import dev.herald.tenancy.ApplicationRequest;
import dev.herald.tenancy.ApplicationStore;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/applications}: the sender's customers, for the operator alone (an application's key is
 * answered as if nothing were here). {@code {app}} is an application's id or uid. Its webhooks are
 * WebhookApi's ({@code /v1/applications/{app}/webhooks}).
 */
public final class ApplicationApi {

    private final Database db;
    private final ApplicationStore applications = new ApplicationStore();
    private final WebhookRepository webhooks;
    private final WebhookRemoval removal;
    private final int pageSize;
    private final dev.herald.tenancy.KeyScopes keys;

    public ApplicationApi(Database db, WebhookRepository webhooks, DeliveryClaims claims, dev.herald.tenancy.KeyScopes keys,
                          int pageSize) {
        this.db = db;
        this.keys = keys;
        this.webhooks = webhooks;
        this.removal = new WebhookRemoval(claims, webhooks);
        this.pageSize = pageSize;
    }

    public ApiResponse create(Exchange exchange, @Body byte[] body) {
        operatorOnly(exchange);
        Application a = ApplicationRequest.create(Ids.application(),
                ApiInput.object(body, true, ApplicationRequest.FIELDS), System.currentTimeMillis());
        db.inTransaction(c -> {
            applications.insert(c, a);
            return null;
        });
        return ApiResponse.created(Views.application(a));
    }

    public ApiResponse list(Exchange exchange, @Header("limit") String limit, @Header("cursor") String cursor) {
        operatorOnly(exchange);
        int n = ApiInput.limit(limit, pageSize);
        String after = cursor == null || cursor.isBlank() ? null : cursor;
        List<Application> page = db.read(c -> applications.list(c, after, n + 1));
        boolean more = page.size() > n;
        List<Application> shown = more ? page.subList(0, n) : page;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", shown.stream().map(Views::application).toList());
        out.put("has_more", more);
        out.put("next_cursor", more ? shown.get(shown.size() - 1).id() : null);
        return ApiResponse.ok(out);
    }

    public ApiResponse get(Exchange exchange, @Header("app") String app) {
        operatorOnly(exchange);
        return ApiResponse.ok(Views.application(db.read(c -> applications.find(c, app)).orElseThrow(() -> missing(app))));
    }

    public ApiResponse patch(Exchange exchange, @Header("app") String app, @Body byte[] body) {
        operatorOnly(exchange);
        var patch = ApiInput.object(body, true, ApplicationRequest.FIELDS);
        Application updated = db.inTransaction(c -> {
            Application current = applications.findForUpdate(c, app).orElseThrow(() -> missing(app));
            Application a = ApplicationRequest.patch(current, patch, System.currentTimeMillis());
            applications.update(c, a);
            return a;
        });
        return ApiResponse.ok(Views.application(updated));
    }

    /**
     * Deletes the application and its webhooks, as {@code DELETE /v1/webhooks/{id}} deletes one, in one
     * transaction: their pending deliveries end as failed ("application deleted"). Its keys go by cascade.
     */
    public ApiResponse delete(Exchange exchange, @Header("app") String app) {
        operatorOnly(exchange);
        long now = System.currentTimeMillis();
        String deleted = db.inTransaction(c -> {
            // Locked first: a webhook being created for it waits, then finds it gone (WebhookApi).
            Application a = applications.findForUpdate(c, app).orElseThrow(() -> missing(app));
            for (String webhookId : webhooks.idsOf(c, a.id())) {
                removal.remove(c, webhookId, WebhookRemoval.APPLICATION_DELETED, now);
            }
            applications.delete(c, a.id());
            return a.id();
        });
        // Its keys stop here at once; other instances drop them within KeyScopes' recheck.
        keys.forgetApplication(deleted);
        return ApiResponse.noContent();
    }

    private static void operatorOnly(Exchange exchange) {
        ScopeGuard.requireOperator(ScopeGuard.of(exchange), ScopeGuard.method(exchange));
    }

    private static HeraldException missing(String app) {
        return HeraldException.notFound("application", app);
    }
}
