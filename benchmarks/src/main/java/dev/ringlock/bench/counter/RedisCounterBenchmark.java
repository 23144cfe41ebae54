package dev.ringlock.bench.counter;

import org.openjdk.jmh.annotations.Param;

/** Redis counters: every thread increments one shared counter ({@link CounterBenchmark}). */
public class RedisCounterBenchmark extends CounterBenchmark {

    /** The contenders; JMH sets it, {@link CounterBenchmark} reads it through {@code BenchmarkParams}. */
    @Param({"ringlock", "raw-incr", "redisson-atomiclong"})
    public String impl;
}
