package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a filter's JSON into a {@link Condition} tree, once. A key is a field (dotted paths and
 * nested objects alike: {@code {"data.amount": 5}} is {@code {"data": {"amount": 5}}}), a comparison
 * operator on the field it sits in, or {@code $and $or $not} over conditions relative to where they
 * sit. Anything else is a 400 on field {@code filter} naming the position, e.g.
 * {@code filter.data.amount.$gt}. Size and depth are bounded so one filter cannot cost ingest much.
 */
final class FilterCompiler {

    static final int MAX_DEPTH = 10;
    static final int MAX_CONDITIONS = 256;
    static final int MAX_REGEX = 1000;

    private int conditions;

    private FilterCompiler() {
    }

    static Condition compile(JsonNode filter) {
        if (filter == null || !filter.isObject()) {
            throw error("a filter must be a JSON object", "filter");
        }
        return new FilterCompiler().object(filter, List.of(), "filter", 1);
    }

    /** The conditions of one object at {@code path}, all of which must hold. */
    private Condition object(JsonNode node, List<String> path, String at, int depth) {
        if (depth > MAX_DEPTH) {
            throw error("the filter is nested more than " + MAX_DEPTH + " levels deep", at);
        }
        List<Condition> all = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String here = at + "." + key;
            if (key.startsWith("$")) {
                all.add(operator(key, e.getValue(), path, here, depth));
            } else {
                all.add(value(e.getValue(), append(path, key, here), here, depth));
            }
        }
        return all.size() == 1 ? all.get(0) : new Condition.All(all);
    }

    /** A field's value: an object holds more conditions below it, anything else is equality. */
    private Condition value(JsonNode v, List<String> path, String at, int depth) {
        if (v.isObject() && !v.isEmpty()) {
            return object(v, path, at, depth + 1);
        }
        checkLiteral(v, at, depth + 1);
        return test(path, new Check.Equals(v), at);
    }

    private Condition operator(String op, JsonNode v, List<String> path, String at, int depth) {
        switch (op) {
            case "$and", "$or" -> {
                if (!v.isArray() || v.isEmpty()) {
                    throw error(op + " takes a non-empty list of conditions", at);
                }
                count(at);
                List<Condition> parts = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    String item = at + "[" + i + "]";
                    if (!v.get(i).isObject()) {
                        throw error(op + " takes a list of objects", item);
                    }
                    parts.add(object(v.get(i), path, item, depth + 1));
                }
                return op.equals("$and") ? new Condition.All(parts) : new Condition.Any(parts);
            }
            case "$not" -> {
                if (!v.isObject() || v.isEmpty()) {
                    throw error("$not takes an object of conditions", at);
                }
                count(at);
                return new Condition.Not(object(v, path, at, depth + 1));
            }
            default -> {
                // A comparison applies to the field it sits in: none at the top.
                if (path.isEmpty()) {
                    throw error(isComparison(op) ? op + " needs a field, e.g. {\"data.amount\": {\"" + op + "\": 1}}"
                            : unknown(op), at);
                }
                return comparison(op, v, path, at, depth);
            }
        }
    }

    private static boolean isComparison(String op) {
        return switch (op) {
            case "$eq", "$neq", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exist", "$regex" -> true;
            default -> false;
        };
    }

    private static String unknown(String op) {
        return "unknown operator " + Excerpt.of(op) + " (use $eq $neq $gt $gte $lt $lte $in $nin $exist $regex $and $or $not)";
    }

    private Condition comparison(String op, JsonNode v, List<String> path, String at, int depth) {
        return switch (op) {
            case "$eq" -> {
                checkLiteral(v, at, depth + 1);
                yield test(path, new Check.Equals(v), at);
            }
            case "$neq" -> {
                checkLiteral(v, at, depth + 1);
                yield new Condition.Not(test(path, new Check.Equals(v), at));
            }
            case "$gt" -> compare(Check.Compare.Op.GT, op, v, path, at);
            case "$gte" -> compare(Check.Compare.Op.GTE, op, v, path, at);
            case "$lt" -> compare(Check.Compare.Op.LT, op, v, path, at);
            case "$lte" -> compare(Check.Compare.Op.LTE, op, v, path, at);
            case "$in" -> v.isTextual() ? test(path, new Check.Contains(v.asText()), at) : test(path, in(op, v, at, depth), at);
            case "$nin" -> new Condition.Not(test(path, in(op, v, at, depth), at));
            case "$exist" -> {
                if (!v.isBoolean()) {
                    throw error("$exist takes true or false", at);
                }
                yield test(path, new Check.Exists(v.asBoolean()), at);
            }
            case "$regex" -> test(path, new Check.Regex(regex(v, at)), at);
            default -> throw error(unknown(op), at);
        };
    }

    private Condition compare(Check.Compare.Op cmp, String op, JsonNode v, List<String> path, String at) {
        if (!(v.isNumber() || v.isTextual())) {
            throw error(op + " takes a number or a string", at);
        }
        checkLiteral(v, at, 0);
        return test(path, new Check.Compare(cmp, v), at);
    }

    private Check.In in(String op, JsonNode v, String at, int depth) {
        if (!v.isArray()) {
            throw error(op + (op.equals("$in") ? " takes a list of values or a string" : " takes a list of values"), at);
        }
        List<JsonNode> options = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            count(at + "[" + i + "]");
            checkLiteral(v.get(i), at + "[" + i + "]", depth + 1);
            options.add(v.get(i));
        }
        return new Check.In(options);
    }

    private static com.google.re2j.Pattern regex(JsonNode v, String at) {
        if (!v.isTextual()) {
            throw error("$regex takes a string", at);
        }
        if (v.asText().length() > MAX_REGEX) {
            throw error("a $regex has at most " + MAX_REGEX + " characters", at);
        }
        try {
            return com.google.re2j.Pattern.compile(v.asText());
        } catch (com.google.re2j.PatternSyntaxException e) {
            // RE2 syntax: no backreferences or lookaround (they are what can make a match take exponential time).
            throw error("not a valid RE2 regular expression (" + Excerpt.of(e.getDescription()) + ")", at);
        }
    }

    private Condition test(List<String> path, Check check, String at) {
        count(at);
        return new Condition.Test(new FieldPath(path), check);
    }

    private void count(String at) {
        if (++conditions > MAX_CONDITIONS) {
            throw error("the filter has more than " + MAX_CONDITIONS + " conditions", at);
        }
    }

    /** A value compared as it is: bounded in depth, and numbers Herald can compare. */
    private static void checkLiteral(JsonNode v, String at, int depth) {
        if (depth > MAX_DEPTH) {
            throw error("the filter is nested more than " + MAX_DEPTH + " levels deep", at);
        }
        if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue()) && !v.isBigDecimal()) {
            throw error("a number is out of range", at);
        }
        if (v.isContainerNode()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkLiteral(e.getValue(), at + "." + e.getKey(), depth + 1);
            }
            for (int i = 0; v.isArray() && i < v.size(); i++) {
                checkLiteral(v.get(i), at + "[" + i + "]", depth + 1);
            }
        }
    }

    /** {@code path} and the segments of a (possibly dotted) key; no empty segment. */
    private static List<String> append(List<String> path, String key, String at) {
        List<String> out = new ArrayList<>(path);
        for (String segment : key.split("\\.", -1)) {
            if (segment.isEmpty()) {
                throw error("an empty field name", at);
            }
            if (segment.startsWith("$")) {
                throw error("unknown operator " + Excerpt.of(segment) + " inside a dotted field name", at);
            }
            out.add(segment);
        }
        return out;
    }

    private static HeraldException error(String what, String at) {
        return HeraldException.invalid("filter", what + " at " + Excerpt.of(at));
    }
}
