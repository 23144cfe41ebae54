package dev.ringlock.counter;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The text form of a counter's value that backends store: the decimal ASCII of the long in the form
 * {@link Long#toString(long)} writes ({@code -?[1-9][0-9]*} or {@code 0}, no sign, no leading zeros, no spaces),
 * which is also the only form Redis's {@code INCRBY} accepts.
 */
public final class CounterValues {

    private static final Pattern CANONICAL = Pattern.compile("0|-?[1-9][0-9]{0,18}");

    private CounterValues() {
    }

    /** The value written as {@code text}, or null when {@code text} is not a long in the canonical form. */
    public static @Nullable Long parse(String text) {
        if (!CANONICAL.matcher(text).matches()) {
            return null;
        }
        try {
            return Long.parseLong(text);
        }
        catch (NumberFormatException ex) {
            return null; // 19 digits beyond the range of a long
        }
    }

    /** A short, printable rendering of a stored value for error messages. */
    public static String preview(String text) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < 40; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            }
            else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.append(text.length() > 40 ? "…'" : "'").toString();
    }
}
