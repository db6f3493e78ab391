package dev.herald.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Event type names and subscription patterns. A type is dot-separated segments
 * ({@code project.created}); a subscription is a type, {@code *}, or a prefix
 * ending in {@code .*} ({@code project.*} matches every type that starts with
 * {@code project.}). Types in the namespace {@code herald.} are Herald's own operational
 * events: no source may send them, and {@code *} does not match them (a pattern naming
 * {@code herald.} does), so a catch-all webhook does not start receiving them unasked.
 */
public final class EventTypes {

    public static final int MAX_LENGTH = 200;
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_\\-:]+(\\.[A-Za-z0-9_\\-:]+)*");

    private EventTypes() {
    }

    public static final String RESERVED_PREFIX = "herald.";

    /** A type of Herald's own (any case: {@code Herald.x} would read as one too). */
    public static boolean isReserved(String type) {
        return type.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length());
    }

    public static boolean isValidType(String type) {
        return type != null && !type.isEmpty() && type.length() <= MAX_LENGTH && TYPE.matcher(type).matches();
    }

    public static boolean isValidPattern(String pattern) {
        if ("*".equals(pattern)) {
            return true;
        }
        if (pattern != null && pattern.endsWith(".*")) {
            return isValidType(pattern.substring(0, pattern.length() - 2));
        }
        return isValidType(pattern);
    }

    /** Every pattern that matches {@code type}: the type itself, '*' (unless reserved) and each prefix pattern. */
    public static List<String> patternsMatching(String type) {
        List<String> patterns = new ArrayList<>();
        patterns.add(type);
        if (!type.startsWith(RESERVED_PREFIX)) {
            patterns.add("*");
        }
        for (int i = type.indexOf('.'); i >= 0; i = type.indexOf('.', i + 1)) {
            patterns.add(type.substring(0, i) + ".*");
        }
        return patterns;
    }

    public static boolean matches(String pattern, String type) {
        return patternsMatching(type).contains(pattern);
    }
}
