package dev.ringlock.lock;

import dev.ringlock.support.Identifiers;
import org.jspecify.annotations.Nullable;

/**
 * The one check every lock key passes before it reaches a backend.
 */
public final class LockKeys {

    /** Longer keys are refused: they are almost always a bug (a serialised object as key). */
    public static final int MAX_LENGTH = Identifiers.MAX_LENGTH;

    private LockKeys() {
    }

    /**
     * Returns the key when it is usable.
     * @throws IllegalArgumentException naming the problem when the key is null, blank or too long
     */
    public static String requireValid(@Nullable String key) {
        return Identifiers.requireValid("key", key);
    }
}
