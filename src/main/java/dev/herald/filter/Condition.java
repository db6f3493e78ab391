package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A compiled payload filter: a tree of conditions on the event object {@code {id, type, application, data}}.
 * Built once by {@link FilterCompiler}, immutable, matched against many events.
 */
public sealed interface Condition {

    boolean matches(JsonNode event);

    /** Every condition holds (an empty list: always true, the filter {@code {}}). */
    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = List.copyOf(conditions);
        }

        @Override
        public boolean matches(JsonNode event) {
            for (Condition c : conditions) {
                if (!c.matches(event)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** At least one condition holds (an empty list: never). */
    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = List.copyOf(conditions);
        }

        @Override
        public boolean matches(JsonNode event) {
            for (Condition c : conditions) {
                if (c.matches(event)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(Condition condition) implements Condition {
        @Override
        public boolean matches(JsonNode event) {
            return !condition.matches(event);
        }
    }

    /** {@code check} on the value at {@code path} (a missing value included: {@code $exist: false} wants it). */
    record Test(FieldPath path, Check check) implements Condition {
        @Override
        public boolean matches(JsonNode event) {
            return check.test(path.resolve(event));
        }
    }
}
