package dev.ringlock.bench.lock;

import java.util.concurrent.ThreadLocalRandom;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/**
 * Redis locks in the scenarios of {@link LockBenchmark}, and two more: 4 threads on keys of their own, and 8 threads
 * on 8 keys picked at random.
 */
public class RedisLockBenchmark extends LockBenchmark {

    /** The contenders; JMH sets it, {@link LockBenchmark} reads it through {@code BenchmarkParams}. */
    @Param({"ringlock", "raw-floor", "redisson-rlock", "redisson-fenced", "spring-registry"})
    public String impl;

    @Override
    String ownKey(String impl, int thread) {
        return "bench:uncontended:" + impl + ":" + thread;
    }

    /** Eight: {@link #contendedOneKey} takes the first, {@link #contendedEightKeys} any. */
    @Override
    String[] contendedKeys(String impl) {
        String[] keys = new String[8];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "bench:contended:" + impl + ":" + i;
        }
        return keys;
    }

    @Benchmark
    @Threads(4)
    public void uncontended4(OwnKey own) throws Exception {
        locker.unlock(locker.lock(own.key));
    }

    @Benchmark
    @Threads(8)
    public void contendedEightKeys() throws Exception {
        LockCycles.handOver(locker, handOver, contendedKeys, ThreadLocalRandom.current().nextInt(8));
    }
}
