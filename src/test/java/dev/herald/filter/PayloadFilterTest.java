package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;
import dev.herald.store.Json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every operator matching and not, values that do not compare, missing fields, nested and dotted paths. */
class PayloadFilterTest {

    private static final JsonNode ORDER = PayloadFilter.event("evt_1", "order.paid", "app_1", Json.tree("""
            {"amount": 150, "price": 9.5, "currency": "usd", "status": "paid", "note": null, "paid": true,
             "customer": {"tier": "premium", "email": "ada@example.com", "since": "2024-05-01T00:00:00Z"},
             "tags": ["urgent", "support"], "scores": [3, 12], "items": [{"sku": "A-1"}, {"sku": "B-2"}],
             "amount_text": "150", "empty": {}, "list": [1, 2]}
            """));

    private static boolean matches(String filter) {
        return PayloadFilter.parse(Json.tree(filter)).matches(ORDER);
    }

    @Test
    void plainValuesAreEqualityNestedAndDottedAlike() {
        assertThat(matches("{}")).isTrue();
        assertThat(matches("{\"type\": \"order.paid\"}")).isTrue();
        assertThat(matches("{\"type\": \"order.refunded\"}")).isFalse();
        assertThat(matches("{\"id\": \"evt_1\", \"application\": \"app_1\"}")).isTrue();
        assertThat(matches("{\"application\": null}")).isFalse();
        assertThat(matches("{\"data\": {\"customer\": {\"tier\": \"premium\"}}}")).isTrue();
        assertThat(matches("{\"data.customer.tier\": \"premium\"}")).isTrue();
        assertThat(matches("{\"data\": {\"customer.tier\": \"premium\"}}")).isTrue();
        assertThat(matches("{\"data.customer\": {\"tier\": \"basic\"}}")).isFalse();
        // Every key must hold.
        assertThat(matches("{\"data\": {\"status\": \"paid\", \"currency\": \"usd\"}}")).isTrue();
        assertThat(matches("{\"data\": {\"status\": \"paid\", \"currency\": \"eur\"}}")).isFalse();
        // Numbers by value, types exact: "150" is not 150, true is not "true".
        assertThat(matches("{\"data.amount\": 150.0}")).isTrue();
        assertThat(matches("{\"data.amount\": \"150\"}")).isFalse();
        assertThat(matches("{\"data.amount_text\": 150}")).isFalse();
        assertThat(matches("{\"data.paid\": true}")).isTrue();
        assertThat(matches("{\"data.paid\": \"true\"}")).isFalse();
        assertThat(matches("{\"data.note\": null}")).isTrue();
        assertThat(matches("{\"data.missing\": null}")).isFalse();
        assertThat(matches("{\"data.empty\": {}}")).isTrue();
        assertThat(matches("{\"data.customer\": {}}")).isFalse();
    }

    @Test
    void arraysMatchAnElementOrTheWholeArray() {
        assertThat(matches("{\"data\": {\"tags\": \"urgent\"}}")).isTrue();
        assertThat(matches("{\"data\": {\"tags\": \"billing\"}}")).isFalse();
        assertThat(matches("{\"data.list\": [1, 2]}")).isTrue();
        assertThat(matches("{\"data.list\": [2, 1]}")).isFalse();
        assertThat(matches("{\"data.items.1.sku\": \"B-2\"}")).isTrue();
        assertThat(matches("{\"data.items.2.sku\": \"B-2\"}")).isFalse();
        assertThat(matches("{\"data.items.sku\": \"B-2\"}")).isFalse();
    }

    @Test
    void eqAndNeq() {
        assertThat(matches("{\"data.status\": {\"$eq\": \"paid\"}}")).isTrue();
        assertThat(matches("{\"data.status\": {\"$eq\": \"open\"}}")).isFalse();
        assertThat(matches("{\"data.customer\": {\"$eq\": {\"tier\": \"premium\"}}}")).isFalse();
        assertThat(matches("{\"data.status\": {\"$neq\": \"open\"}}")).isTrue();
        assertThat(matches("{\"data.status\": {\"$neq\": \"paid\"}}")).isFalse();
        assertThat(matches("{\"data.tags\": {\"$neq\": \"urgent\"}}")).isFalse();
        // Not equal to a missing field: nothing there equals it.
        assertThat(matches("{\"data.missing\": {\"$neq\": \"paid\"}}")).isTrue();
        assertThat(matches("{\"data.amount\": {\"$neq\": \"150\"}}")).isTrue();
    }

    @Test
    void comparisonsOfNumbersAndOfStrings() {
        assertThat(matches("{\"data.amount\": {\"$gt\": 100}}")).isTrue();
        assertThat(matches("{\"data\": {\"amount\": {\"$gt\": 100}}}")).isTrue();
        assertThat(matches("{\"data.amount\": {\"$gt\": 150}}")).isFalse();
        assertThat(matches("{\"data.amount\": {\"$gte\": 150}}")).isTrue();
        assertThat(matches("{\"data.amount\": {\"$gte\": 150.5}}")).isFalse();
        assertThat(matches("{\"data.amount\": {\"$lt\": 150}}")).isFalse();
        assertThat(matches("{\"data.amount\": {\"$lte\": 150}}")).isTrue();
        assertThat(matches("{\"data.price\": {\"$lt\": 10, \"$gt\": 9}}")).isTrue();
        assertThat(matches("{\"data.price\": {\"$lt\": 10, \"$gt\": 9.5}}")).isFalse();
        // A string against a number, a missing field: no match, not an error.
        assertThat(matches("{\"data.amount_text\": {\"$gt\": 100}}")).isFalse();
        assertThat(matches("{\"data.amount\": {\"$gt\": \"100\"}}")).isFalse();
        assertThat(matches("{\"data.customer\": {\"$gt\": 1}}")).isFalse();
        assertThat(matches("{\"data.missing\": {\"$lt\": 1}}")).isFalse();
        // Strings in code-point order: ISO-8601 UTC times compare as times.
        assertThat(matches("{\"data.customer.since\": {\"$gte\": \"2024-01-01T00:00:00Z\"}}")).isTrue();
        assertThat(matches("{\"data.customer.since\": {\"$lt\": \"2024-01-01T00:00:00Z\"}}")).isFalse();
        // An array value: one element is enough.
        assertThat(matches("{\"data.scores\": {\"$gt\": 10}}")).isTrue();
        assertThat(matches("{\"data.scores\": {\"$gt\": 12}}")).isFalse();
    }

    @Test
    void inAndNin() {
        assertThat(matches("{\"data.status\": {\"$in\": [\"pending\", \"paid\"]}}")).isTrue();
        assertThat(matches("{\"data.status\": {\"$in\": [\"pending\", \"open\"]}}")).isFalse();
        assertThat(matches("{\"data.amount\": {\"$in\": [149, 150.0]}}")).isTrue();
        assertThat(matches("{\"data.tags\": {\"$in\": [\"billing\", \"support\"]}}")).isTrue();
        assertThat(matches("{\"data.missing\": {\"$in\": [null]}}")).isFalse();
        assertThat(matches("{\"data.status\": {\"$in\": []}}")).isFalse();
        // A string operand: a substring of a string value (Outpost).
        assertThat(matches("{\"data.customer.email\": {\"$in\": \"@example.com\"}}")).isTrue();
        assertThat(matches("{\"data.customer.email\": {\"$in\": \"@example.org\"}}")).isFalse();
        assertThat(matches("{\"data.amount\": {\"$in\": \"15\"}}")).isFalse();
        assertThat(matches("{\"data.status\": {\"$nin\": [\"pending\", \"open\"]}}")).isTrue();
        assertThat(matches("{\"data.status\": {\"$nin\": [\"pending\", \"paid\"]}}")).isFalse();
        assertThat(matches("{\"data.tags\": {\"$nin\": [\"urgent\"]}}")).isFalse();
        assertThat(matches("{\"data.missing\": {\"$nin\": [\"paid\"]}}")).isTrue();
    }

    @Test
    void exist() {
        assertThat(matches("{\"data.customer.email\": {\"$exist\": true}}")).isTrue();
        assertThat(matches("{\"data.customer.email\": {\"$exist\": false}}")).isFalse();
        assertThat(matches("{\"data.deleted_at\": {\"$exist\": false}}")).isTrue();
        assertThat(matches("{\"data.deleted_at\": {\"$exist\": true}}")).isFalse();
        assertThat(matches("{\"data.note\": {\"$exist\": true}}")).isTrue();
        assertThat(matches("{\"data.status.deeper\": {\"$exist\": false}}")).isTrue();
    }

    @Test
    void regex() {
        assertThat(matches("{\"data.customer.email\": {\"$regex\": \"@example\\\\.com$\"}}")).isTrue();
        assertThat(matches("{\"data.customer.email\": {\"$regex\": \"^ada\"}}")).isTrue();
        assertThat(matches("{\"data.customer.email\": {\"$regex\": \"^ADA\"}}")).isFalse();
        assertThat(matches("{\"data.customer.email\": {\"$regex\": \"(?i)^ADA\"}}")).isTrue();
        assertThat(matches("{\"type\": {\"$regex\": \"^order\\\\.(paid|refunded)$\"}}")).isTrue();
        assertThat(matches("{\"data.tags\": {\"$regex\": \"^sup\"}}")).isTrue();
        assertThat(matches("{\"data.amount\": {\"$regex\": \"150\"}}")).isFalse();
        assertThat(matches("{\"data.missing\": {\"$regex\": \".*\"}}")).isFalse();
    }

    @Test
    void andOrNotAtTheTopAndInsideAField() {
        assertThat(matches("{\"$or\": [{\"data.currency\": \"eur\"}, {\"data.amount\": {\"$gte\": 100}}]}")).isTrue();
        assertThat(matches("{\"$or\": [{\"data.currency\": \"eur\"}, {\"data.amount\": {\"$gte\": 200}}]}")).isFalse();
        assertThat(matches("{\"$and\": [{\"data.currency\": \"usd\"}, {\"$or\": [{\"type\": \"x\"}, {\"data.paid\": true}]}]}"))
                .isTrue();
        assertThat(matches("{\"$and\": [{\"data.currency\": \"usd\"}, {\"data.paid\": false}]}")).isFalse();
        assertThat(matches("{\"$not\": {\"data.currency\": \"usd\"}}")).isFalse();
        assertThat(matches("{\"$not\": {\"data.currency\": \"eur\"}}")).isTrue();
        // Inside a field the conditions are relative to it.
        assertThat(matches("{\"data\": {\"$or\": [{\"currency\": \"eur\"}, {\"customer.tier\": \"premium\"}]}}")).isTrue();
        assertThat(matches("{\"data.amount\": {\"$not\": {\"$gt\": 100}}}")).isFalse();
        assertThat(matches("{\"data.amount\": {\"$not\": {\"$gt\": 200}}}")).isTrue();
        // Operational events are matched like any other.
        JsonNode disabled = PayloadFilter.event("evt_2", "herald.webhook.disabled", null,
                Json.tree("{\"webhook_id\": \"hook_1\", \"reason\": \"gone\"}"));
        PayloadFilter onlyGone = PayloadFilter.parse(Json.tree("{\"type\": {\"$regex\": \"^herald\\\\.\"}, \"data.reason\": \"gone\"}"));
        assertThat(onlyGone.matches(disabled)).isTrue();
        assertThat(onlyGone.matches(ORDER)).isFalse();
    }

    @Test
    void aPathologicalRegexAnswersOnALongString() {
        String longText = "a".repeat(100_000) + "!";
        JsonNode e = PayloadFilter.event("evt_3", "t", null, Json.tree("{\"s\": \"" + longText + "\"}"));
        // A backtracking engine takes exponential time here; RE2/J is linear in the input.
        assertThat(PayloadFilter.parse(Json.tree("{\"data.s\": {\"$regex\": \"(a+)+$\"}}")).matches(e)).isFalse();
        assertThat(PayloadFilter.parse(Json.tree("{\"data.s\": {\"$regex\": \"^(a|aa)*$\"}}")).matches(e)).isFalse();
        assertThat(PayloadFilter.parse(Json.tree("{\"data.s\": {\"$regex\": \"(a+)+!$\"}}")).matches(e)).isTrue();
    }

    @Test
    void theStoredTextIsCompactAndCompilesToTheSame() {
        PayloadFilter f = PayloadFilter.parse(Json.tree("{ \"data.amount\" : { \"$gt\" : 100 } }"));
        assertThat(f.text()).isEqualTo("{\"data.amount\":{\"$gt\":100}}");
        assertThat(PayloadFilter.fromStored(f.text())).isEqualTo(f);
        assertThat(PayloadFilter.parse(Json.tree("null"))).isNull();
        FilterCache cache = new FilterCache();
        PayloadFilter first = cache.compiled("hook_1", f.text());
        assertThat(cache.compiled("hook_1", f.text())).isSameAs(first);
        assertThat(cache.compiled("hook_1", "{\"type\":\"x\"}")).isNotSameAs(first).isNotNull();
        assertThat(cache.compiled("hook_1", null)).isNull();
    }
}
