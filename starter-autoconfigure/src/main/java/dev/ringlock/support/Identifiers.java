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
     * @throws IllegalArgumentException naming {@code argument} when the value is null, blank or too long
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
        return value;
    }
}
