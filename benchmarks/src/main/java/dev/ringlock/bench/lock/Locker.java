package dev.ringlock.bench.lock;

/**
 * One contender's lock, reduced to what the benchmarks time: take the lock of a key (waiting as long as
 * needed), give it back. The value {@link #lock} returns is whatever {@link #unlock} needs.
 */
public interface Locker extends AutoCloseable {

    Object lock(String key) throws Exception;

    void unlock(Object held) throws Exception;

    @Override
    void close() throws Exception;
}
