package dev.ringlock.bench.lock;

import org.openjdk.jmh.annotations.Param;

/** ZooKeeper locks, ours against Curator's {@code InterProcessMutex}, in the scenarios of {@link LockBenchmark}. */
public class ZooKeeperLockBenchmark extends LockBenchmark {

    /** The contenders; JMH sets it, {@link LockBenchmark} reads it through {@code BenchmarkParams}. */
    @Param({"ringlock-zk", "curator-mutex"})
    public String impl;

    @Override
    String ownKey(String impl, int thread) {
        return "bench-uncontended-" + impl + "-" + thread;
    }

    /** One: ZooKeeper's contended scenario is the single key. */
    @Override
    String[] contendedKeys(String impl) {
        return new String[] {"bench-contended-" + impl};
    }
}
