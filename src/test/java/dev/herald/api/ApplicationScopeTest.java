package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.delivery.log.AttemptLog;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.delivery.log.DeliveryReads;
import dev.herald.delivery.log.DeliverySearch;
import dev.herald.delivery.log.NewDelivery;
import dev.herald.error.HeraldException;
import dev.herald.event.EventLog;
import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import dev.herald.ingest.ApplicationOfCall;
import dev.herald.ingest.EventParser;
import dev.herald.ingest.IngestService;
import dev.herald.signing.SignatureSpec;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.store.Json;
import dev.herald.store.TestDatabase;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;
import dev.herald.tenancy.ApplicationNames;
import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scope decisions of the event and delivery calls, on both databases: an application's key sees
 * its own events and deliveries alone, and another application's id, or the operator's own, answers
 * exactly as an id that does not exist; the operator sees all and filters by application; the fan-out
 * lookup reads one application's webhooks. (Application keys themselves are another part of issue 27.)
 */
class ApplicationScopeTest {

    static final String A = "app_01AAAAAAAAAAAAAAAAAAAAAAAA";
    static final String B = "app_01BBBBBBBBBBBBBBBBBBBBBBBB";
    static final String SAME = "evt-same";

    @TempDir
    Path tempDir;

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void anApplicationSeesOnlyItsOwnEventsAndDeliveries(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.open(kind, tempDir)) {
            Database db = t.db;
            WebhookRepository webhooks = new WebhookRepository();
            EventStore events = new EventStore();
            DeliveryClaims claims = new DeliveryClaims(events, db.dialect());
            long now = System.currentTimeMillis();
            db.inTransaction(c -> {
                for (String[] app : new String[][]{{A, "acme"}, {B, "globex"}}) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO application (id, uid, name, created_at,"
                            + " updated_at) VALUES (?, ?, 'x', 0, 0)")) {
                        ps.setString(1, app[0]);
                        ps.setString(2, app[1]);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
            Webhook own = webhook(null, now);
            Webhook ofA = webhook(A, now);
            Webhook ofB = webhook(B, now);
            db.inTransaction(c -> {
                webhooks.insert(c, own);
                webhooks.insert(c, ofA);
                webhooks.insert(c, ofB);
                return null;
            });

            // The fan-out lookup: one application's webhooks, or the operator's own.
            List<Webhook> ofAMatching = db.read(c -> webhooks.activeMatching(c, "order.paid", A));
            List<Webhook> ownMatching = db.read(c -> webhooks.activeMatching(c, "order.paid", null));
            assertThat(ofAMatching).extracting(Webhook::id).containsExactly(ofA.id());
            assertThat(ownMatching).extracting(Webhook::id).containsExactly(own.id());

            // One event id in three places: the operator's own, A's and B's, each with its delivery.
            List<NewEvent> stored = List.of(new NewEvent(SAME, "order.paid", now, "{\"of\":\"own\"}"),
                    new NewEvent(SAME, "order.paid", now, "{\"of\":\"a\"}", A), new NewEvent(SAME, "order.paid", now, "{\"of\":\"b\"}", B));
            String dOwn = Ids.delivery();
            String dA = Ids.delivery();
            String dB = Ids.delivery();
            db.inTransaction(c -> {
                events.insertEvents(c, stored, now);
                claims.insertDeliveries(c, List.of(new NewDelivery(dOwn, stored.get(0).key(), own.id(), null, null),
                        new NewDelivery(dA, stored.get(1).key(), ofA.id(), null, null).ofApplication(A),
                        new NewDelivery(dB, stored.get(2).key(), ofB.id(), null, null).ofApplication(B)), now);
                return null;
            });
            java.util.Set<String> keys = db.read(c -> events.existingEventIds(c, List.of(SAME, A + "/" + SAME, B + "/" + SAME)));
            assertThat(keys).hasSize(3);

            DeliveryReads reads = new DeliveryReads();
            DeliveryApi api = new DeliveryApi(db, reads, new AttemptLog(db.dialect()), events, null);
            SearchApi search = new SearchApi(db, new DeliverySearch(db.dialect()), new EventLog(db.dialect()), 50);
            Scope scopeA = new Scope.OfApplication(A, "key_a", false);
            Scope operator = Scope.OPERATOR;
            Supplier<Exchange> asA = () -> call(scopeA);
            Supplier<Exchange> asOperator = () -> call(operator);

            // Its own: the event by its own id, with its own deliveries only.
            JsonNode event = body(api.event(SAME, null, scopeA));
            assertThat(event.get("id").asText()).isEqualTo(SAME);
            assertThat(event.get("application_id").asText()).isEqualTo(A);
            assertThat(event.get("data").get("of").asText()).isEqualTo("a");
            assertThat(event.get("deliveries")).singleElement().satisfies(d -> assertThat(d.get("id").asText()).isEqualTo(dA));
            assertThat(body(api.get(dA, scopeA)).get("application_id").asText()).isEqualTo(A);

            // Another's, or the operator's own: exactly the answer for an id that does not exist.
            String missing = Ids.delivery();
            HeraldException none = notFound(() -> api.get(missing, scopeA));
            for (String foreign : List.of(dB, dOwn)) {
                HeraldException e = notFound(() -> api.get(foreign, scopeA));
                assertThat(e.getMessage()).isEqualTo(none.getMessage().replace(missing, foreign));
                assertThat(notFound(() -> api.retry(foreign, scopeA)).getMessage()).isEqualTo(e.getMessage());
                assertThat(notFound(() -> api.skip(foreign, scopeA)).getMessage()).isEqualTo(e.getMessage());
            }
            HeraldException noEvent = notFound(() -> api.event("evt-never", null, scopeA));
            assertThat(notFound(() -> api.event(SAME, B, scopeA)).field()).isEqualTo("application");
            assertThat(notFound(() -> api.event(A + "/" + SAME, null, operator)).getMessage())
                    .isEqualTo(noEvent.getMessage().replace("evt-never", A + "/" + SAME));

            // Lists: the key's rows alone; naming another application is the unknown application's 404.
            JsonNode listed = body(search.events(null, null, null, null, null, null, scopeA));
            assertThat(listed.get("events")).singleElement().satisfies(e -> assertThat(e.get("application_id").asText()).isEqualTo(A));
            JsonNode deliveries = body(search.deliveries(null, null, null, null, null, null, null, null, scopeA));
            assertThat(deliveries.get("deliveries")).extracting(d -> d.get("id").asText()).containsExactly(dA);
            HeraldException other = notFound(() -> search.events(null, null, null, null, null, B, scopeA));
            HeraldException unknown = notFound(() -> search.events(null, null, null, null, null, "app_nobody", scopeA));
            assertThat(other.field()).isEqualTo("application").isEqualTo(unknown.field());
            assertThat(other.getMessage()).isEqualTo(unknown.getMessage().replace("app_nobody", B));

            // The operator: everything, or one application by its uid; its own event by the bare id.
            assertThat(body(search.events(null, null, null, null, null, null, operator)).get("events")).hasSize(3);
            assertThat(body(search.deliveries(null, null, null, null, null, null, null, "acme", operator))
                    .get("deliveries")).extracting(d -> d.get("id").asText()).containsExactly(dA);
            assertThat(body(api.event(SAME, null, operator)).get("application_id").isNull()).isTrue();
            assertThat(body(api.event(SAME, "acme", operator)).get("data").get("of").asText()).isEqualTo("a");

            // Stats are the operator's: an application's key gets the 404 of a path nothing serves.
            HeraldException stats = notFound(() -> new StatsApi(null, null).deliveries(null, scopeA));
            assertThat(stats.getMessage()).startsWith("nothing here answers GET on this path");

            // Events a key sends: naming another application reads exactly as naming none that exists.
            EventParser parser = new EventParser(10_000, 10, new ApplicationNames(db, 2000));
            HeraldException toOther = notFound(() -> parser.parse(
                    "{\"type\":\"a.b\",\"application\":\"globex\",\"data\":{}}".getBytes(), null, A));
            HeraldException toNobody = notFound(() -> parser.parse(
                    "{\"type\":\"a.b\",\"application\":\"nobody\",\"data\":{}}".getBytes(), null, A));
            assertThat(toOther.field()).isEqualTo("application").isEqualTo(toNobody.field());
            assertThat(toOther.getMessage()).isEqualTo(toNobody.getMessage().replace("nobody", "globex"));
            assertThat(parser.parse("[{\"type\":\"a.b\",\"data\":{}},{\"type\":\"a.b\",\"application\":\"acme\",\"data\":{}}]"
                    .getBytes(), null, A).events()).extracting(NewEvent::applicationId).containsExactly(A, A);
            assertThat(parser.parse("{\"type\":\"a.b\",\"application\":\"globex\",\"data\":{}}".getBytes(), null, null)
                    .events()).extracting(NewEvent::applicationId).containsExactly(B);

            // Sending: a key sends to its application; naming another (or none that exists) is 404.
            ApplicationOfCall ofCall = new ApplicationOfCall(new ApplicationNames(db, 2000));
            Exchange send = asA.get();
            ofCall.process(send);
            assertThat(send.getProperty(IngestService.APPLICATION)).isEqualTo(A);
            Exchange elsewhere = asA.get();
            elsewhere.setProperty(ApplicationOfCall.PATH, B);
            assertThat(notFound(() -> ofCall.process(elsewhere)).field()).isEqualTo("application");
            Exchange byUid = asOperator.get();
            byUid.setProperty(ApplicationOfCall.PATH, "acme");
            ofCall.process(byUid);
            assertThat(byUid.getProperty(IngestService.APPLICATION)).isEqualTo(A);
            Exchange operatorOwn = asOperator.get();
            ofCall.process(operatorOwn);
            assertThat(operatorOwn.getProperty(IngestService.APPLICATION)).isNull();
            Exchange readOnly = call(new Scope.OfApplication(A, "key_r", true));
            assertThatThrownBy(() -> ofCall.process(readOnly)).isInstanceOfSatisfying(HeraldException.class,
                    e -> assertThat(e.status()).isEqualTo(403));
        }
    }

    private Exchange call(Scope scope) {
        Exchange e = new DefaultExchange(camel);
        e.setProperty(Scope.PROPERTY, scope);
        return e;
    }

    private static JsonNode body(ApiResponse r) {
        return Json.tree(Json.write(r.body()));
    }

    interface Call {
        void run() throws Exception;
    }

    private static HeraldException notFound(Call call) {
        List<HeraldException> caught = new ArrayList<>();
        assertThatThrownBy(call::run).isInstanceOfSatisfying(HeraldException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("not_found");
            caught.add(e);
        });
        return caught.get(0);
    }

    private static Webhook webhook(String application, long now) {
        return new Webhook(Ids.webhook(), "https://example.test/hook", List.of("order.*"), "s3cret", List.of(), true,
                null, null, null, null, SignatureSpec.defaults(), Webhook.ENVELOPE, null, Map.of(), null, null, null,
                now, now, null, application);
    }
}
