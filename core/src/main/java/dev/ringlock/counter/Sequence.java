package dev.ringlock.counter;

/**
 * Unique ids from a counter, reserved in blocks. Thread-safe.
 * <p>
 * Every id is unique across all sequences (in all instances) that draw from the same counter, as long as no
 * one sets, decrements or deletes that counter; ids from one {@code Sequence} object increase strictly. A
 * block is reserved with one {@link CounterTemplate#addAndGet} of the block size; with prefetching on
 * ({@code ringlock.counter.prefetch}), the next block is reserved in the background once half of the current
 * one is used, so {@link #next()} rarely waits on the network. Ids of reserved blocks that are never handed
 * out leave gaps.
 */
public interface Sequence {

    /**
     * The next id.
     * @throws ArithmeticException if the counter cannot grow by another block without passing {@link Long#MAX_VALUE}
     * @throws CounterBackendException if a block was needed and the backend failed
     */
    long next();

    /** The counter this sequence draws from. */
    String name();

    /** How many ids one reservation takes. */
    int blockSize();
}
