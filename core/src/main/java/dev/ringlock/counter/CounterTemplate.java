package dev.ringlock.counter;

/**
 * Named 64-bit counters shared by every instance of the application, and {@link Sequence}s of unique ids
 * drawn from them.
 * <p>
 * {@link #incrementAndGet}, {@link #addAndGet} and {@link #compareAndSet} are linearizable on every backend:
 * no lost update and no duplicate value, however many clients update one counter at once. A counter never
 * written reads as 0. Arithmetic never wraps: an update past {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE}
 * throws {@link ArithmeticException} and leaves the counter as it was.
 * <p>
 * Names are 1 to {@value CounterNames#MAX_LENGTH} characters and not blank. Failures of the backend are
 * {@link CounterBackendException}s; a stored value that is not a counter (another program wrote the key) is a
 * {@link CounterEncodingException}; on ZooKeeper, an update that keeps losing to other writers for longer
 * than {@code ringlock.counter.max-retry-time} is a {@link CounterContentionException}.
 */
public interface CounterTemplate {

    /** Adds one and returns the new value. */
    long incrementAndGet(String name);

    /** Adds {@code delta} (which may be negative) and returns the new value. */
    long addAndGet(String name, long delta);

    /** The current value; 0 for a counter never written or deleted. */
    long get(String name);

    /**
     * Sets the counter to {@code update} if it is {@code expect} (0 matches a counter never written).
     * @return whether the counter was set
     */
    boolean compareAndSet(String name, long expect, long update);

    /** Sets the counter to {@code value}, whatever it was. */
    void set(String name, long value);

    /** Deletes the counter; it reads as 0 again. Deleting a counter that a {@link Sequence} draws from makes it repeat ids. */
    void delete(String name);

    /**
     * A sequence of ids drawn from the counter {@code name}: each block of {@code blockSize} ids costs one
     * {@link #addAndGet} and is used by this instance alone, so ids are unique across instances and increasing
     * within one. Ids of a block not used up (the process stopped) are skipped, never reused.
     * @throws IllegalArgumentException if the name is blank or too long, or {@code blockSize < 1}
     */
    Sequence sequence(String name, int blockSize);
}
