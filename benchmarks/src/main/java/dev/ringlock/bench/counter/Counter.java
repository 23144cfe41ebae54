package dev.ringlock.bench.counter;

/** One contender's shared counter, reduced to what the benchmarks time: add one and get the new value. */
public interface Counter extends AutoCloseable {

    long incrementAndGet() throws Exception;

    @Override
    void close() throws Exception;
}
