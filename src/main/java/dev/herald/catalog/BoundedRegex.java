package dev.herald.catalog;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

import java.util.regex.Pattern;

/**
 * The regular expressions of schemas ({@code pattern}, {@code patternProperties}), Java's, with a
 * bound on the work one match may do: a sender's value cannot make an operator's backtracking
 * pattern spin an ingest thread (a match past the bound fails the event with a reason). Counted in
 * characters read, not time, so the outcome does not depend on the machine's load.
 */
final class BoundedRegex implements RegularExpressionFactory {

    /** Characters one match may read, over and above a few passes over the value. */
    static final long BUDGET = 1_000_000;

    static final BoundedRegex INSTANCE = new BoundedRegex();

    /** Thrown when a match goes past its budget; no stack trace, the caller says what happened. */
    static final class TooCostly extends RuntimeException {
        TooCostly(String pattern) {
            super("the pattern " + dev.herald.error.Excerpt.of(pattern) + " needs too much work on this value", null, false, false);
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return value -> pattern.matcher(new Counted(value, BUDGET + 10L * value.length(), regex)).find();
    }

    /** A string that counts the characters the matcher reads and stops it past the budget. */
    private static final class Counted implements CharSequence {
        private final String value;
        private final String regex;
        private long left;

        Counted(String value, long budget, String regex) {
            this.value = value;
            this.left = budget;
            this.regex = regex;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new TooCostly(regex);
            }
            return value.charAt(index);
        }

        @Override
        public int length() {
            return value.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return value.substring(start, end);
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
