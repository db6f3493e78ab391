package dev.herald.it;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.herald.it.ApiCalls.JSON;

/** ScopeWalkTest's paths and its comparison of an answer about a foreign value with one about a missing value. */
final class WalkAnswers {

    private WalkAnswers() {
    }

    static String fill(String template, Map<String, String> values) {
        String path = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            path = path.replace("{" + e.getKey() + "}", e.getValue());
        }
        return path;
    }

    /** A value of the same shape that names nothing: an id or uid of the same length, an event type not catalogued. */
    static String ghost(String variable, String value) {
        if (variable.equals("name")) {
            return "walk.none";
        }
        int prefix = value.indexOf('_') + 1;
        StringBuilder b = new StringBuilder(value.substring(0, prefix));
        for (int i = prefix; i < value.length(); i++) {
            char c = value.charAt(i);
            b.append(Character.isDigit(c) ? '0' : Character.isUpperCase(c) ? 'Z' : Character.isLowerCase(c) ? 'z' : c);
        }
        return b.toString();
    }

    static String code(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body()).at("/error/code").asText();
        } catch (Exception e) {
            return "(not JSON: " + r.body() + ")";
        }
    }

    /** The error message with each foreign value written as its ghost, to compare with a missing id's. */
    static String message(HttpResponse<String> r, Map<String, String> values, Map<String, String> ghosts) {
        String text;
        try {
            text = JSON.readTree(r.body()).at("/error/message").asText();
        } catch (Exception e) {
            text = r.body();
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace(e.getValue(), ghosts.get(e.getKey()));
        }
        return text;
    }
}
