package dev.ringlock.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the duration strings of Ringlock's annotations the way Spring Boot reads duration properties, so that
 * {@code waitTime = "5s"} means what {@code ringlock.lock.wait-time=5s} means: a whole number with an optional
 * unit ({@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}; milliseconds when
 * there is none), or ISO-8601 ({@code PT1M}). Core knows no Spring Boot, so it cannot use Boot's
 * {@code DurationStyle}.
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");
    private static final Pattern ISO_8601 = Pattern.compile("^[+-]?[pP].*$");

    private Durations() {
    }

    /**
     * The duration {@code text} stands for.
     * @throws IllegalArgumentException naming the text when it is neither form, or has an unknown unit
     */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher simple = SIMPLE.matcher(trimmed);
        try {
            if (simple.matches()) {
                return ofUnit(Long.parseLong(simple.group(1)), simple.group(2).toLowerCase(Locale.ROOT), text);
            }
            if (ISO_8601.matcher(trimmed).matches()) {
                return Duration.parse(trimmed);
            }
        }
        catch (NumberFormatException | DateTimeParseException | ArithmeticException ex) {
            throw new IllegalArgumentException("'" + text + "' is not a valid duration", ex);
        }
        throw new IllegalArgumentException("'" + text + "' is not a valid duration");
    }

    private static Duration ofUnit(long amount, String unit, String text) {
        return switch (unit) {
            case "ns" -> Duration.ofNanos(amount);
            case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
            case "", "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit
                    + "'; use ns, us, ms, s, m, h or d");
        };
    }
}
