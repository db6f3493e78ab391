package dev.herald.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Event type names and subscription patterns. A type is dot-separated segments
 * ({@code project.created}); a subscription is a type, {@code *}, or a prefix
 * ending in {@code .*} ({@code project.*} matches every type that starts with
 * {@code project.}).
 */
public final class EventTypes {

    public static final int MAX_LENGTH = 200;
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_\\-:]+(\\.[A-Za-z0-9_\\-:]+)*");

    private EventTypes() {
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

    /** Every pattern that matches {@code type}: the type itself, '*' and each prefix pattern. */
    public static List<String> patternsMatching(String type) {
        List<String> patterns = new ArrayList<>();
        patterns.add(type);
        patterns.add("*");
        for (int i = type.indexOf('.'); i >= 0; i = type.indexOf('.', i + 1)) {
            patterns.add(type.substring(0, i) + ".*");
        }
        return patterns;
    }

    public static boolean matches(String pattern, String type) {
        return patternsMatching(type).contains(pattern);
    }
}
