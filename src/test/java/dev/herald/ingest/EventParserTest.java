package dev.herald.ingest;

import dev.herald.error.HeraldException;
import dev.herald.event.NewEvent;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventParserTest {

    private final EventParser parser = new EventParser(1024, 3);

    private EventParser.Batch parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dataIsCompactAndNumbersAreWrittenAsJavaScriptWould() {
        NewEvent e = parse("{\"type\":\"a.b\", \"data\": {\"f\": 1.0, \"g\": 2.50, \"h\": 1e3, \"s\": \"\u00e9\uD83D\uDE80\", \"n\": null}}")
                .events().get(0);
        assertThat(e.data()).isEqualTo("{\"f\":1,\"g\":2.5,\"h\":1000,\"s\":\"\u00e9\uD83D\uDE80\",\"n\":null}");
        assertThat(e.id()).startsWith("evt_");
    }

    @Test
    void createdAtIsKeptWhenGiven() {
        NewEvent e = parse("{\"type\":\"a.b\",\"created_at\":\"2026-03-01T12:00:00Z\",\"data\":{}}").events().get(0);
        assertThat(e.createdAt()).isEqualTo(1772366400000L);
    }

    @Test
    void batchesAreBoundedAndErrorsNameTheItem() {
        assertThat(parse("[{\"type\":\"a\",\"data\":{}},{\"type\":\"b\",\"data\":{}}]").events()).hasSize(2);
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(HeraldException.class);
        assertThatThrownBy(() -> parse("[1,2,3,4]")).hasMessageContaining("1 to 3");
        assertThatThrownBy(() -> parse("[{\"type\":\"a\",\"data\":{}},{\"type\":\"a\"}]"))
                .extracting("field").isEqualTo("[1].data");
        assertThatThrownBy(() -> parse("{\"type\":\"a\",\"data\":{},\"extra\":1}")).extracting("field").isEqualTo("extra");
        assertThatThrownBy(() -> parse("{\"type\":\"a\",\"data\":{},\"created_at\":\"yesterday\"}"))
                .extracting("field").isEqualTo("created_at");
        assertThatThrownBy(() -> parse("{\"id\":\"has space\",\"type\":\"a\",\"data\":{}}")).extracting("field").isEqualTo("id");
        assertThatThrownBy(() -> parse("{\"type\":\"a\",\"data\":{\"s\":\"" + "x".repeat(2000) + "\"}}"))
                .extracting("status").isEqualTo(413);
    }

    @Test
    void heraldTypesAreReservedForOperationalEvents() {
        assertThatThrownBy(() -> parse("{\"type\":\"herald.webhook.disabled\",\"data\":{}}"))
                .isInstanceOf(HeraldException.class).hasMessageContaining("operational events");
        assertThatThrownBy(() -> parse("{\"type\":\"HERALD.x\",\"data\":{}}")).isInstanceOf(HeraldException.class);
        assertThat(parse("{\"type\":\"heraldry.shield\",\"data\":{}}").events()).hasSize(1);
        assertThat(dev.herald.subscription.EventTypes.patternsMatching("herald.webhook.disabled"))
                .containsExactlyInAnyOrder("herald.webhook.disabled", "herald.*", "herald.webhook.*");
        assertThat(dev.herald.subscription.EventTypes.patternsMatching("heraldry.shield")).contains("*");
    }
}
