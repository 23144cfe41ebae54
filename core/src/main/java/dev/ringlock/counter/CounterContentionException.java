package dev.ringlock.counter;


import java.time.Duration;

/**
 * An update of a counter lost the race to other writers again and again until its retry time
 * ({@code ringlock.counter.max-retry-time}) ran out; the counter was not changed by it. Retry later, raise
 * the retry time, or spread the load over several counters (or a {@link Sequence} with larger blocks).
 */
public class CounterContentionException extends RuntimeException {

    private final String name;
    private final int attempts;

    public CounterContentionException(String name, int attempts, Duration elapsed) {
        super("Counter '" + name + "' was not updated: " + attempts + " attempts in " + elapsed.toMillis()
                + " ms all lost to other writers; retry later, raise 'ringlock.counter.max-retry-time', or spread the "
                + "load over more counters");
        this.name = name;
        this.attempts = attempts;
    }

    /** The name of the counter. */
    public String name() {
        return name;
    }

    /** How many conditional writes were tried. */
    public int attempts() {
        return attempts;
    }
}
