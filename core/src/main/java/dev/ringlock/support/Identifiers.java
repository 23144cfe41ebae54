package dev.ringlock.support;

import org.jspecify.annotations.Nullable;

/**
 * The one check every application-given identifier (a lock key, a counter name) passes before it reaches a
 * backend.
 */
public final class Identifiers {

    /** Longer identifiers are refused: they are almost always a bug (a serialised object as key). */
    public static final int MAX_LENGTH = 1024;

    private Identifiers() {
    }

    /**
     * Returns {@code value} when it is usable.
     * @param argument what the value is, as the caller's parameter is named ({@code key}, {@code name})
     * @throws IllegalArgumentException naming {@code argument} when the value is null, blank, too long, or not
     * valid Unicode
     */
    public static String requireValid(String argument, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + argument + "' must not be blank, was "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("'" + argument + "' must be at most " + MAX_LENGTH + " characters, was "
                    + value.length() + " (starting '" + value.substring(0, 40) + "')");
        }
        int unpaired = unpairedSurrogate(value);
        if (unpaired >= 0) {
            throw new IllegalArgumentException("'" + argument + "' must be valid Unicode, but has an unpaired surrogate "
                    + String.format("\\u%04X", (int) value.charAt(unpaired)) + " at index " + unpaired);
        }
        return value;
    }

    /**
     * The index of the first surrogate that is not half of a pair, or -1. Such a string has no UTF-8 form: the
     * backends' encoders replace the surrogate with '?', so "a\uD800" would silently share the key of "a?".
     */
    public static int unpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
