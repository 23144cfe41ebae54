package dev.ringlock.counter;

import dev.ringlock.support.Identifiers;
import org.jspecify.annotations.Nullable;

/**
 * The one check every counter name passes before it reaches a backend; the same limits as lock keys.
 */
public final class CounterNames {

    /** Longer names are refused: they are almost always a bug (a serialised object as name). */
    public static final int MAX_LENGTH = Identifiers.MAX_LENGTH;

    private CounterNames() {
    }

    /**
     * Returns the name when it is usable.
     * @throws IllegalArgumentException naming the problem when the name is null, blank or too long
     */
    public static String requireValid(@Nullable String name) {
        return Identifiers.requireValid("name", name);
    }

    /** The exception for an addition that would pass the range of a long; the counter is left as it was. */
    public static ArithmeticException overflow(String name, String what) {
        return new ArithmeticException("Counter '" + name + "' would overflow: " + what
                + " leaves the range of a long; the counter was left as it was");
    }
}
