package dev.ringlock.counter;

/**
 * The SPI each backend implements: atomic operations on named 64-bit counters. Names arrive validated by
 * {@link CounterNames#requireValid}.
 * <p>
 * Implementations must make {@link #addAndGet} and {@link #compareAndSet} linearizable across every client
 * of the backend, throw {@link ArithmeticException} (naming the counter) instead of wrapping past the range
 * of a long, {@link CounterEncodingException} for a stored value they cannot read as a counter, and wrap
 * backend failures in {@link CounterBackendException}.
 */
public interface CounterStore {

    /** The backend's name as it appears in logs, metrics and errors: {@code redis}, {@code zookeeper}, {@code local}. */
    String backend();

    /** Adds {@code delta} and returns the new value; a missing counter counts as 0. */
    long addAndGet(String name, long delta);

    /** Adds one and returns the new value; a store may count increments apart from other additions. */
    default long incrementAndGet(String name) {
        return addAndGet(name, 1);
    }

    /** The value; 0 when the counter does not exist. */
    long get(String name);

    /** Sets the counter to {@code update} if it is {@code expect}; a missing counter counts as 0. */
    boolean compareAndSet(String name, long expect, long update);

    /** Sets the counter unconditionally. */
    void set(String name, long value);

    /** Removes the counter; missing counters are ignored. */
    void delete(String name);
}
