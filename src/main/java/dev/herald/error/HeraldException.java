package dev.herald.error;

/**
 * A failure the caller can act on: it carries the HTTP status, a stable code, a
 * message and, for bad input, the field at fault. Every source maps it to its own
 * channel (HTTP JSON error, JMS dead letter reason, file error report).
 */
public class HeraldException extends RuntimeException {

    /**
     * The longest message and field a refusal carries: callers quote input through {@link Excerpt},
     * and this bounds what still slips through (a field named after a huge JSON key).
     */
    private static final int MAX_MESSAGE = 1000;

    private final int status;
    private final String code;
    private final String field;

    public HeraldException(int status, String code, String message, String field) {
        super(Excerpt.of(message, MAX_MESSAGE));
        this.status = status;
        this.code = code;
        this.field = Excerpt.of(field, Excerpt.MAX);
    }

    public static HeraldException invalid(String field, String message) {
        return new HeraldException(400, "invalid_request", message, field);
    }

    public static HeraldException notFound(String what, String id) {
        return new HeraldException(404, "not_found", what + " " + Excerpt.of(id) + " does not exist", null);
    }

    public static HeraldException conflict(String message) {
        return new HeraldException(409, "conflict", message, null);
    }

    public static HeraldException tooLarge(String field, String message) {
        return new HeraldException(413, "payload_too_large", message, field);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
