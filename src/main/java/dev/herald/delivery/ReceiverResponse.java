package dev.herald.delivery;

import dev.herald.egress.AttemptDeadline;

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
record ReceiverResponse(Integer status, Map<String, String> headers, String body, IOException readFailure) {

    /** Reads the answer the HTTP call left on {@code m}; Camel's own headers are not the receiver's. */
    static ReceiverResponse read(Message m, int cap, AttemptDeadline deadline) {
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
        try {
            return new ReceiverResponse(status, headers, body(m, cap, deadline), null);
        } catch (IOException e) {
            return new ReceiverResponse(status, headers, null, e);
        }
    }

    private static String body(Message m, int cap, AttemptDeadline deadline) throws IOException {
        Object body = m.getBody();
        if (body == null) {
            return "";
        }
        if (body instanceof InputStream in) {
            boolean[] full = new boolean[1];
            String text;
            try {
                text = readCapped(in, cap, full);
            } catch (IOException e) {
                closeQuietly(in);
                throw e;
            }
            if (full[0]) {
                // Closing the stream would read the rest of the body, however long, to reuse the
                // connection; a body past the cap is not worth it.
                deadline.abandon();
                closeQuietly(in);
            } else {
                in.close();
            }
            return text;
        }
        String s = m.getBody(String.class);
        return s == null ? "" : s.length() > cap ? s.substring(0, cap) : s;
    }

    static String readCapped(InputStream in, int cap) throws IOException {
        return readCapped(in, cap, new boolean[1]);
    }

    /**
     * Up to {@code cap} bytes of a response as text; {@code full[0]} says the cap was reached.
     * Most receivers answer with a few bytes: the buffer starts small and grows
     * ({@code readNBytes} allocates 8 KB per call).
     */
    static String readCapped(InputStream in, int cap, boolean[] full) throws IOException {
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
        full[0] = n >= cap;
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // The connection is gone already; what was read is kept.
        }
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
