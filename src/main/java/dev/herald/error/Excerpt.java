package dev.herald.error;

/**
 * What an error message may quote from input. A refusal that repeated a 100 KB value would send
 * it back whole (and into every log line and dead-letter reason carrying the message), so every
 * quote of a caller's value goes through here: at most {@value #MAX} characters, then an ellipsis
 * and the full length.
 */
public final class Excerpt {

    /** Characters of a value an error message quotes at most. */
    public static final int MAX = 200;

    private Excerpt() {
    }

    /** {@code value} as text, cut to {@value #MAX} characters when longer; "null" for null. */
    public static String of(Object value) {
        return of(String.valueOf(value), MAX);
    }

    /** {@code text} cut to {@code max} characters (never inside a surrogate pair), saying how long it was. */
    static String of(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "\u2026 (" + text.length() + " characters)";
    }
}
