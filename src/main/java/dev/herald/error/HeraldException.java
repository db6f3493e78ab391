package dev.herald.error;

/**
 * A failure the caller can act on: it carries the HTTP status, a stable code, a
 * message and, for bad input, the field at fault. Every source maps it to its own
 * channel (HTTP JSON error, JMS dead letter reason, file error report).
 */
public class HeraldException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    public HeraldException(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static HeraldException invalid(String field, String message) {
        return new HeraldException(400, "invalid_request", message, field);
    }

    public static HeraldException notFound(String what, String id) {
        return new HeraldException(404, "not_found", what + " " + id + " does not exist", null);
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
