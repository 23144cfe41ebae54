package dev.ringlock.lock;

import org.jspecify.annotations.Nullable;

/**
 * The one check every lock key passes before it reaches a backend.
 */
public final class LockKeys {

    /** Longer keys are refused: they are almost always a bug (a serialised object as key). */
    public static final int MAX_LENGTH = 1024;

    private LockKeys() {
    }

    /**
     * Returns the key when it is usable.
     * @throws IllegalArgumentException naming the problem when the key is null, blank or too long
     */
    public static String requireValid(@Nullable String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("'key' must not be blank, was " + (key == null ? "null" : "'" + key + "'"));
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("'key' must be at most " + MAX_LENGTH + " characters, was " + key.length()
                    + " (starting '" + key.substring(0, 40) + "')");
        }
        return key;
    }
}
