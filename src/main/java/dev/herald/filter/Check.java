package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One operator applied to the value a {@link FieldPath} found (null: no value there). As in Convoy
 * and Hookdeck Outpost, a value that is an array matches when one of its elements does; values
 * that do not compare (a string against a number) are no match, never an error.
 */
public sealed interface Check {

    boolean test(JsonNode value);

    /** A plain value or {@code $eq}: the same JSON value (1 and 1.0 alike), or an array holding it. */
    record Equals(JsonNode operand) implements Check {
        @Override
        public boolean test(JsonNode value) {
            if (value == null) {
                return false;
            }
            if (same(value, operand)) {
                return true;
            }
            if (value.isArray() && !operand.isArray()) {
                for (JsonNode e : value) {
                    if (same(e, operand)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** {@code $gt $gte $lt $lte}: a number against a number, or a string against a string (ISO times order so). */
    record Compare(Op op, JsonNode operand) implements Check {
        public enum Op {
            GT, GTE, LT, LTE;

            boolean holds(int cmp) {
                return switch (this) {
                    case GT -> cmp > 0;
                    case GTE -> cmp >= 0;
                    case LT -> cmp < 0;
                    case LTE -> cmp <= 0;
                };
            }
        }

        @Override
        public boolean test(JsonNode value) {
            if (value == null) {
                return false;
            }
            if (value.isArray()) {
                for (JsonNode e : value) {
                    if (one(e)) {
                        return true;
                    }
                }
                return false;
            }
            return one(value);
        }

        private boolean one(JsonNode v) {
            if (operand.isNumber() && v.isNumber()) {
                return op.holds(decimal(v).compareTo(decimal(operand)));
            }
            if (operand.isTextual() && v.isTextual()) {
                return op.holds(v.asText().compareTo(operand.asText()));
            }
            return false;
        }
    }

    /** {@code $in} with a list: the value (or one element of an array value) equals one of the list. */
    record In(List<JsonNode> options) implements Check {
        public In {
            options = List.copyOf(options);
        }

        @Override
        public boolean test(JsonNode value) {
            if (value == null) {
                return false;
            }
            for (JsonNode o : options) {
                if (new Equals(o).test(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code $in} with a string (Outpost): a string value that contains it. */
    record Contains(String part) implements Check {
        @Override
        public boolean test(JsonNode value) {
            return value != null && value.isTextual() && value.asText().contains(part);
        }
    }

    /** {@code $exist: true|false}: whether the event has the field (a JSON null counts as present). */
    record Exists(boolean wanted) implements Check {
        @Override
        public boolean test(JsonNode value) {
            return (value != null) == wanted;
        }
    }

    /** {@code $regex}: RE2 syntax, found anywhere in a string value; RE2/J runs in time linear in the input. */
    record Regex(com.google.re2j.Pattern pattern) implements Check {
        @Override
        public boolean test(JsonNode value) {
            if (value == null) {
                return false;
            }
            if (value.isArray()) {
                for (JsonNode e : value) {
                    if (e.isTextual() && pattern.matcher(e.asText()).find()) {
                        return true;
                    }
                }
                return false;
            }
            return value.isTextual() && pattern.matcher(value.asText()).find();
        }
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isBigDecimal() ? n.decimalValue() : n.isIntegralNumber() ? new BigDecimal(n.bigIntegerValue())
                : BigDecimal.valueOf(n.doubleValue());
    }

    /** JSON equality with numbers compared by value. */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !same(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
