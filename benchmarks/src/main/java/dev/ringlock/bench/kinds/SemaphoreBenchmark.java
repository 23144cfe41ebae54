package dev.ringlock.bench.kinds;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/**
 * Permits, 8 threads on one key of {@link KindLocker#PERMITS} permits: Ringlock's permit lock against Redisson's
 * {@code RPermitExpirableSemaphore} (Redis) and Curator's {@code InterProcessSemaphoreV2} (ZooKeeper). One operation
 * is one permit taken and given back at once.
 */
public class SemaphoreBenchmark extends KindBenchmark {

    /** The contenders; JMH sets it, {@link KindBenchmark} reads it through {@code BenchmarkParams}. */
    @Param({"ringlock", "redisson-semaphore", "ringlock-zk", "curator-semaphore"})
    public String impl;

    private String key;

    @Override
    void keys() {
        key = key("permits");
    }

    @Benchmark
    @Threads(8)
    public void fourPermits() throws Exception {
        locker.permit(key).close();
    }
}
