package dev.herald.it;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every answer to a fuzzed request must look like; {@link #problem} says what is wrong, or null. */
final class FuzzResponses {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Internal names that never belong in an answer (the fuzzer never sends them, so no echo explains them). */
    private static final List<String> LEAK_MARKERS = List.of("\tat ", "org.apache.camel", "java.lang.", "java.io.",
            "java.net.", "java.sql.", "java.util.", "java.time.", "dev.herald.", "com.fasterxml.", "io.vertx.", "io.netty.",
            "org.h2.", "com.zaxxer.");
    /** A qualified exception class name or a stack frame, matched only in a short window (answers can be 300 KB). */
    private static final Pattern QUALIFIED_THROWABLE = Pattern.compile("[a-z][\\w$]*(\\.[\\w$]+)+(Exception|Error)\\b");
    private static final Pattern FRAME = Pattern.compile("^at [a-z][\\w$]*(\\.[\\w$]+)+\\(");

    private FuzzResponses() {
    }

    static String problem(int status, String contentType, byte[] body) {
        if (status >= 500) {
            return "status " + status;
        }
        String leak = leak(new String(body, StandardCharsets.UTF_8));
        if (leak != null) {
            return "status " + status + " with a stack trace or class name (" + leak + ")";
        }
        if (status >= 400) {
            return errorShapeProblem(status, contentType, body);
        }
        if (status >= 200 && status < 300) {
            if (status == 204 && body.length == 0) {
                return null;
            }
            JsonNode json = parse(body);
            return json == null || !json.isObject() ? "status " + status + " without a UTF-8 JSON object body" : null;
        }
        return "unexpected status " + status;
    }

    static String leak(String text) {
        for (String marker : LEAK_MARKERS) {
            if (text.contains(marker)) {
                return marker;
            }
        }
        for (String word : List.of("Exception", "Error")) {
            for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
                String window = text.substring(Math.max(0, i - 120), Math.min(text.length(), i + word.length() + 1));
                Matcher m = QUALIFIED_THROWABLE.matcher(window);
                if (m.find()) {
                    return m.group();
                }
            }
        }
        for (int i = text.indexOf("at "); i >= 0; i = text.indexOf("at ", i + 1)) {
            Matcher m = FRAME.matcher(text.substring(i, Math.min(text.length(), i + 160)));
            if (m.find()) {
                return m.group();
            }
        }
        return null;
    }

    private static String errorShapeProblem(int status, String contentType, byte[] body) {
        if (contentType == null || !contentType.startsWith("application/json")) {
            return "status " + status + " with Content-Type " + contentType;
        }
        JsonNode json = parse(body);
        JsonNode error = json == null ? null : json.get("error");
        if (error == null || !error.isObject() || json.size() != 1) {
            return "status " + status + " without a UTF-8 {\"error\":{...}}";
        }
        JsonNode field = error.get("field");
        if (!error.path("code").isTextual() || error.path("code").asText().isEmpty()
                || !error.path("message").isTextual() || error.path("message").asText().isEmpty()
                || field == null || !(field.isNull() || field.isTextual()) || error.size() != 3) {
            return "status " + status + " with an error that is not {code, message, field}";
        }
        return null;
    }

    /** JSON in UTF-8 only: Jackson alone would also read UTF-16 or UTF-32, which no client expects here. */
    private static JsonNode parse(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return STRICT.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
