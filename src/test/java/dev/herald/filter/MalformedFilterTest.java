package dev.herald.filter;

import dev.herald.error.HeraldException;
import dev.herald.store.Json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each kind of malformed filter: a 400 on field "filter" saying what is wrong and where. */
class MalformedFilterTest {

    private static String refusal(String filter) {
        HeraldException e = catchThrowableOfType(HeraldException.class, () -> PayloadFilter.parse(Json.tree(filter)));
        assertThat(e).as(filter).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("filter");
        return e.getMessage();
    }

    @Test
    void notAnObject() {
        assertThat(refusal("[]")).isEqualTo("a filter must be a JSON object at filter");
        assertThat(refusal("\"type\"")).isEqualTo("a filter must be a JSON object at filter");
    }

    @Test
    void unknownOperatorsAndFieldNames() {
        assertThat(refusal("{\"data\": {\"amount\": {\"$gtt\": 1}}}"))
                .startsWith("unknown operator $gtt").endsWith(" at filter.data.amount.$gtt");
        assertThat(refusal("{\"$nor\": []}")).startsWith("unknown operator $nor").endsWith(" at filter.$nor");
        assertThat(refusal("{\"data..amount\": 1}")).isEqualTo("an empty field name at filter.data..amount");
        assertThat(refusal("{\"data.$gt\": 1}")).endsWith(" at filter.data.$gt").contains("dotted");
        assertThat(refusal("{\"$gt\": 1}")).startsWith("$gt needs a field").endsWith(" at filter.$gt");
        assertThat(refusal("{\"$not\": {\"$exist\": true}}")).startsWith("$exist needs a field").endsWith(" at filter.$not.$exist");
    }

    @Test
    void operandsOfTheWrongType() {
        assertThat(refusal("{\"data.amount\": {\"$gt\": true}}")).isEqualTo("$gt takes a number or a string at filter.data.amount.$gt");
        assertThat(refusal("{\"data\": {\"amount\": {\"$lte\": [1]}}}")).isEqualTo("$lte takes a number or a string at filter.data.amount.$lte");
        assertThat(refusal("{\"data.s\": {\"$in\": 5}}")).isEqualTo("$in takes a list of values or a string at filter.data.s.$in");
        assertThat(refusal("{\"data.s\": {\"$nin\": \"x\"}}")).isEqualTo("$nin takes a list of values at filter.data.s.$nin");
        assertThat(refusal("{\"data.s\": {\"$exist\": \"yes\"}}")).isEqualTo("$exist takes true or false at filter.data.s.$exist");
        assertThat(refusal("{\"data.s\": {\"$regex\": 5}}")).isEqualTo("$regex takes a string at filter.data.s.$regex");
        assertThat(refusal("{\"$and\": {}}")).isEqualTo("$and takes a non-empty list of conditions at filter.$and");
        assertThat(refusal("{\"$or\": []}")).isEqualTo("$or takes a non-empty list of conditions at filter.$or");
        assertThat(refusal("{\"$or\": [{\"type\": \"a\"}, \"b\"]}")).isEqualTo("$or takes a list of objects at filter.$or[1]");
        assertThat(refusal("{\"$not\": [{\"type\": \"a\"}]}")).isEqualTo("$not takes an object of conditions at filter.$not");
        assertThat(refusal("{\"data.n\": {\"$gt\": 1e400}}")).isEqualTo("a number is out of range at filter.data.n.$gt");
        assertThat(refusal("{\"data.n\": [1, -1e400]}")).isEqualTo("a number is out of range at filter.data.n[1]");
        assertThat(refusal("{\"$or\": [{\"type\": \"a\"}, {\"data.n\": {\"$gt\": null}}]}"))
                .isEqualTo("$gt takes a number or a string at filter.$or[1].data.n.$gt");
    }

    @Test
    void regexesOutsideRe2() {
        assertThat(refusal("{\"data.s\": {\"$regex\": \"(a\"}}"))
                .startsWith("not a valid RE2 regular expression").endsWith(" at filter.data.s.$regex");
        // Backreferences and lookaround need backtracking: RE2 has neither.
        assertThat(refusal("{\"data.s\": {\"$regex\": \"(a)\\\\1\"}}")).startsWith("not a valid RE2 regular expression");
        assertThat(refusal("{\"data.s\": {\"$regex\": \"a(?=b)\"}}")).startsWith("not a valid RE2 regular expression");
        assertThat(refusal("{\"data.s\": {\"$regex\": \"" + "a".repeat(1001) + "\"}}"))
                .isEqualTo("a $regex has at most 1000 characters at filter.data.s.$regex");
    }

    @Test
    void sizeAndDepthAreBounded() {
        String deep = "{\"a\": ".repeat(11) + "1" + "}".repeat(11);
        assertThat(refusal(deep)).isEqualTo("the filter is nested more than 10 levels deep at filter.a.a.a.a.a.a.a.a.a.a");
        String deepValue = "{\"data.x\": {\"$eq\": " + "[".repeat(12) + "]".repeat(12) + "}}";
        assertThat(refusal(deepValue)).startsWith("the filter is nested more than 10 levels deep at filter.data.x.$eq[0]");
        StringBuilder many = new StringBuilder("{\"data.n\": {\"$in\": [");
        for (int i = 0; i < 300; i++) {
            many.append(i == 0 ? "" : ",").append(i);
        }
        assertThat(refusal(many + "]}}")).isEqualTo("the filter has more than 256 conditions at filter.data.n.$in[256]");
        String big = "{\"data.s\": {\"$in\": [\"" + "x".repeat(8000) + "\"]}}";
        assertThat(refusal(big)).startsWith("the filter takes 8").endsWith("the limit is 8000 at filter");
    }
}
