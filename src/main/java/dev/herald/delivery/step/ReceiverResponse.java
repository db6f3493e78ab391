package dev.herald.delivery.step;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a receiver answered, as the attempt log keeps it: the status, the headers and the body,
 * each bounded by the log's cap. {@code readFailure} is set when the body could not be read
 * to the end of what is kept (the connection broke, or the attempt's deadline cut it).
 */
record ReceiverResponse(Integer status, Map<String, String> headers, String body, Exception readFailure) {

    /** Reads the answer the HTTP call left on {@code m}; Camel's own headers are not the receiver's. */
    static ReceiverResponse read(Message m, int cap, Exception bodyFailure) {
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> headers = new LinkedHashMap<>();
        int kept = 0;
        for (Map.Entry<String, Object> h : m.getHeaders().entrySet()) {
            if (!h.getKey().startsWith("Camel") && h.getValue() != null) {
                String value = String.valueOf(h.getValue());
                kept += h.getKey().length() + value.length();
                if (kept > cap) {
                    break; // the log keeps as much of the header block as of a body
                }
                headers.put(h.getKey(), value);
            }
        }
        if (bodyFailure != null) {
            return new ReceiverResponse(status, headers, null, bodyFailure);
        }
        try {
            return new ReceiverResponse(status, headers, body(m, cap), null);
        } catch (IOException e) {
            return new ReceiverResponse(status, headers, null, e);
        }
    }

    private static String body(Message m, int cap) throws IOException {
        Object body = m.getBody();
        if (body == null) {
            return "";
        }
        if (body instanceof InputStream in) {
            try (in) {
                return readCapped(in, cap).text();
            }
        }
        String s = m.getBody(String.class);
        return s == null ? "" : s.length() > cap ? s.substring(0, cap) : s;
    }

    /** Up to the cap of a body as text; {@code full}: the cap was reached, more may follow. */
    record Capped(String text, boolean full) {
    }

    /**
     * Up to {@code cap} bytes of a response as text. Most receivers answer with a few bytes:
     * the buffer starts small and grows ({@code readNBytes} allocates 8 KB per call).
     */
    static Capped readCapped(InputStream in, int cap) throws IOException {
        byte[] buf = new byte[Math.min(cap, 256)];
        int n = 0;
        while (n < cap) {
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(cap, buf.length * 4));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return new Capped(new String(buf, 0, n, StandardCharsets.UTF_8), n >= cap);
    }

    /** Retry-After on 429 and 503, in seconds or as an HTTP date; -1 when absent or unreadable. */
    static long retryAfterMillis(Integer status, Map<String, String> headers, long now) {
        if (status == null || (status != 429 && status != 503) || headers == null) {
            return -1;
        }
        String value = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Retry-After")) {
                value = h.getValue().trim();
            }
        }
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(value)) * 1000;
        } catch (NumberFormatException e) {
            try {
                return Math.max(0, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli() - now);
            } catch (RuntimeException ignored) {
                return -1;
            }
        }
    }
}
