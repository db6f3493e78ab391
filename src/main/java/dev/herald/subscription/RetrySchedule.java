package dev.herald.subscription;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backoff table: the delay before attempt 1..N, counted from the end of the previous
 * attempt (attempt 1 from acceptance). {@code 0s,1m,5m} means three attempts: at once,
 * one minute after the first failed, five minutes after the second failed.
 */
public final class RetrySchedule {

    public static final int MAX_ENTRIES = 20;
    public static final Duration MAX_DELAY = Duration.ofHours(24);
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final List<Duration> delays;

    private RetrySchedule(List<Duration> delays) {
        this.delays = List.copyOf(delays);
    }

    /** Parses {@code "0s,1m,5m,30m,2h"}; errors name {@code field}. */
    public static RetrySchedule parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw HeraldException.invalid(field, "a retry schedule needs at least one delay, e.g. \"0s,1m,5m\"");
        }
        return of(List.of(text.split(",")), field);
    }

    public static RetrySchedule of(List<String> entries, String field) {
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw HeraldException.invalid(field, "a retry schedule has 1 to " + MAX_ENTRIES + " delays, got " + entries.size());
        }
        List<Duration> delays = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            delays.add(parseDelay(entries.get(i), field + "[" + i + "]"));
        }
        return new RetrySchedule(delays);
    }

    /** One delay: {@code 0s}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or combined {@code 1h30m}. */
    public static Duration parseDelay(String text, String field) {
        return parseDuration(text, field, MAX_DELAY, "24h");
    }

    /** A duration setting ({@code 500ms}, {@code 30s}, {@code 30d}), at most ten years. */
    public static Duration parseDuration(String text, String field) {
        return parseDuration(text, field, Duration.ofDays(3650), "3650d");
    }

    /** A duration written like a delay, at most {@code max} (called {@code maxText} in the error). */
    public static Duration parseDuration(String text, String field, Duration max, String maxText) {
        String s = text == null ? "" : text.trim();
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        // Each part must start where the last ended: lookingAt from there, not find(), which would
        // search the rest of the text again from every position (minutes for 100,000 digits).
        while (end < s.length() && m.region(end, s.length()).lookingAt()) {
            // More digits than any sane duration needs would overflow a long or a Duration.
            if (m.group(1).length() > 9) {
                throw HeraldException.invalid(field, "\"" + Excerpt.of(text) + "\" is longer than " + maxText);
            }
            long n = Long.parseLong(m.group(1));
            try {
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            } catch (ArithmeticException e) {
                throw HeraldException.invalid(field, "\"" + Excerpt.of(text) + "\" is longer than " + maxText);
            }
            end = m.end();
        }
        if (s.isEmpty() || end != s.length()) {
            throw HeraldException.invalid(field, "\"" + Excerpt.of(text) + "\" is not a duration; use e.g. 0s, 30s, 5m, 2h");
        }
        if (total.compareTo(max) > 0) {
            throw HeraldException.invalid(field, "\"" + Excerpt.of(text) + "\" is longer than " + maxText);
        }
        return total;
    }

    public int maxAttempts() {
        return delays.size();
    }

    /** Delay before attempt {@code n} (1-based). */
    public Duration delayBefore(int attempt) {
        return delays.get(attempt - 1);
    }

    public Duration longestDelay() {
        return delays.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * When the attempt after {@code attemptsMade} failed ones is due, or -1 when the table
     * is exhausted. {@code retryAfterMillis} (a receiver's Retry-After, or -1) can push
     * the attempt later, never beyond the table's longest delay.
     */
    public long nextAttemptAt(int attemptsMade, long lastAttemptEnd, long retryAfterMillis) {
        if (attemptsMade >= delays.size()) {
            return -1;
        }
        long delay = delayBefore(attemptsMade + 1).toMillis();
        if (retryAfterMillis > delay) {
            delay = Math.min(retryAfterMillis, longestDelay().toMillis());
        }
        return lastAttemptEnd + delay;
    }

    public List<String> asStrings() {
        return delays.stream().map(RetrySchedule::format).toList();
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    @Override
    public String toString() {
        return String.join(",", asStrings());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetrySchedule r && r.delays.equals(delays);
    }

    @Override
    public int hashCode() {
        return delays.hashCode();
    }
}
