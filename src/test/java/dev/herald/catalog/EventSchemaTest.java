package dev.herald.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.error.HeraldException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compiling and applying a schema: the first error's JSON pointer; what is refused when stored. */
class EventSchemaTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFirstErrorIsReportedWithItsPointer() throws Exception {
        EventSchema s = EventSchema.compile(JSON.readTree("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"object\","
                + "\"properties\":{\"b\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}}}}"));
        assertThat(s.firstError(JSON.readTree("{\"a\":{\"b\":[1,2,\"x\"]}}"))).hasValueSatisfying(e ->
                assertThat(e).startsWith("/a/b/2: ").contains("integer"));
        assertThat(s.firstError(JSON.readTree("{\"a\":{\"b\":[1]}}"))).isEmpty();
        assertThat(EventSchema.compile(JSON.readTree("false")).firstError(JSON.readTree("{}"))).hasValueSatisfying(e ->
                assertThat(e).startsWith("\"\": "));
        // A key with / and ~ is escaped as RFC 6901 says.
        EventSchema keyed = EventSchema.compile(JSON.readTree("{\"properties\":{\"a/b~c\":{\"type\":\"string\"}}}"));
        assertThat(keyed.firstError(JSON.readTree("{\"a/b~c\":1}"))).hasValueSatisfying(e -> assertThat(e).startsWith("/a~1b~0c: "));
    }

    @Test
    void aBacktrackingPatternStopsAtItsBudget() throws Exception {
        EventSchema s = EventSchema.compile(JSON.readTree("{\"properties\":{\"code\":{\"pattern\":\"^(.*a){10}$\"}}}"));
        assertThat(s.firstError(JSON.readTree("{\"code\":\"" + "a".repeat(10) + "\"}"))).isEmpty();
        assertThat(s.firstError(JSON.readTree("{\"code\":\"" + "a".repeat(200) + "\"}"))).isEmpty();
        // Polynomial backtracking of degree 10: about 80 s on Java 17 unbounded; refused with a reason past the budget.
        assertThat(s.firstError(JSON.readTree("{\"code\":\"" + "a".repeat(40) + "!\"}"))).hasValueSatisfying(e ->
                assertThat(e).contains("too much work"));
    }

    @Test
    void schemasThatAreNotValidOrReachOutsideAreRefused() throws Exception {
        for (String bad : new String[]{"{\"type\":5}", "{\"required\":\"a\"}", "[]", "\"x\"",
                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\"}", "{\"$ref\":\"#/$defs/none\"}",
                "{\"$ref\":\"classpath:application.properties\"}", "{\"$ref\":\"http://127.0.0.1:9/s.json\"}",
                // A reference loop that never steps into the data, a regex Java cannot read, an anchor never defined.
                "{\"$ref\":\"#\"}", "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}",
                "{\"properties\":{\"a\":{\"pattern\":\"(\"}}}", "{\"$dynamicRef\":\"#nowhere\"}"}) {
            assertThatThrownBy(() -> EventSchema.compile(JSON.readTree(bad))).as(bad)
                    .isInstanceOfSatisfying(HeraldException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.field()).isEqualTo("schema");
                    });
        }
        // A recursive schema that steps into the data is fine, to any depth the data has.
        EventSchema tree = EventSchema.compile(JSON.readTree("{\"type\":\"object\",\"properties\":{\"children\":{\"items\":{\"$ref\":\"#\"}}}}"));
        assertThat(tree.firstError(JSON.readTree("{\"children\":[{\"children\":[7]}]}"))).hasValueSatisfying(e ->
                assertThat(e).startsWith("/children/0/children/0: "));
        // Refs inside the schema and the 2020-12 meta-schema named by $schema are fine.
        EventSchema.compile(JSON.readTree("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                + "\"$defs\":{\"n\":{\"type\":\"integer\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/n\"}}}"));
    }
}
