package dev.ringlock.bench.counter;

import org.openjdk.jmh.annotations.Param;

/** ZooKeeper counters: every thread increments one shared counter ({@link CounterBenchmark}). */
public class ZooKeeperCounterBenchmark extends CounterBenchmark {

    /** The contenders; JMH sets it, {@link CounterBenchmark} reads it through {@code BenchmarkParams}. */
    @Param({"ringlock-zk", "curator-dal", "curator-sharedcount"})
    public String impl;
}
