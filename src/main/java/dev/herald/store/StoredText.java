package dev.herald.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Text from outside Herald (a receiver's response, an exception message) made safe to store
 * as text on H2 and on PostgreSQL. PostgreSQL refuses a NUL in text (it failed the whole
 * group commit of attempt results) and silently stores an unpaired surrogate as '?'.
 *
 * <p>The rule: NUL, every other C0 control except tab, LF and CR, and every unpaired
 * surrogate become U+FFFD, the character a UTF-8 decoder already puts where a receiver sent
 * invalid bytes. One character for one, so lengths do not change. Clean text, nearly all of
 * it, is scanned once and returned as it is, without allocating.
 */
public final class StoredText {

    public static final char REPLACEMENT = '\uFFFD';

    private StoredText() {
    }

    /** {@code text} with the characters a database cannot store as text replaced; the same instance when clean. */
    public static String sanitize(String text) {
        if (text == null) {
            return null;
        }
        int bad = firstUnstorable(text, 0);
        return bad < 0 ? text : replaceFrom(text, bad);
    }

    /** Sanitized and cut to at most {@code maxChars}, never between the two halves of a surrogate pair. */
    public static String fit(String text, int maxChars) {
        if (text != null && text.length() > maxChars) {
            int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
            text = text.substring(0, end);
        }
        return sanitize(text);
    }

    /** Header names and values sanitized; the same map when all are clean. */
    public static Map<String, String> sanitize(Map<String, String> headers) {
        if (headers == null || allClean(headers)) {
            return headers;
        }
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((name, value) -> out.put(sanitize(name), sanitize(value)));
        return out;
    }

    private static boolean allClean(Map<String, String> headers) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && firstUnstorable(h.getKey(), 0) >= 0
                    || h.getValue() != null && firstUnstorable(h.getValue(), 0) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first character to replace at or after {@code from}, or -1. */
    private static int firstUnstorable(String s, int from) {
        for (int i = from, n = s.length(); i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch < Character.MIN_SURROGATE) {
                continue; // nearly every character: one comparison pair
            }
            if (ch < 0x20) {
                if (ch != '\t' && ch != '\n' && ch != '\r') {
                    return i;
                }
            } else if (ch <= Character.MAX_SURROGATE) {
                if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a pair: one character outside the BMP
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String replaceFrom(String s, int first) {
        char[] out = s.toCharArray();
        for (int i = first; i >= 0; i = firstUnstorable(s, i + 1)) {
            out[i] = REPLACEMENT;
        }
        return new String(out);
    }
}
