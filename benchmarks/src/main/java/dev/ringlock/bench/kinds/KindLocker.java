package dev.ringlock.bench.kinds;

import java.util.List;

/**
 * One contender's read-write lock, permits and lock on several keys, reduced to what the benchmarks time: take
 * the lock (waiting as long as needed) and get back what gives it back. Each contender's library does the waiting
 * its own way; none of them is told more than the key.
 */
interface KindLocker extends AutoCloseable {

    /** The number of permits of every permit key, for every contender. */
    int PERMITS = 4;

    /** A shared (READ) lock on {@code key}. */
    AutoCloseable read(String key) throws Exception;

    /** The exclusive (WRITE) lock on {@code key} that excludes its readers too. */
    AutoCloseable write(String key) throws Exception;

    /** One of {@link #PERMITS} permits of {@code key}. */
    AutoCloseable permit(String key) throws Exception;

    /**
     * The exclusive locks of all of {@code keys} together. The benchmarks pass them in the order of their UTF-8
     * bytes, the order Ringlock takes them in, so that a peer that locks in the order given cannot deadlock either.
     */
    AutoCloseable all(List<String> keys) throws Exception;
}
