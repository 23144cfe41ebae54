package dev.ringlock.bench.kinds;

import java.util.concurrent.ThreadLocalRandom;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/**
 * Read-write locks, 8 threads on one key: Ringlock's READ and WRITE modes against Redisson's
 * {@code RReadWriteLock} (Redis) and Curator's {@code InterProcessReadWriteLock} (ZooKeeper). One operation is one
 * lock of the mix taken and given back at once, READ or WRITE as a per-operation draw decides: 90 % READ
 * ({@link #readMostly}) or 50 % ({@link #writeHeavy}).
 */
public class ReadWriteLockBenchmark extends KindBenchmark {

    /** The contenders; JMH sets it, {@link KindBenchmark} reads it through {@code BenchmarkParams}. */
    @Param({"ringlock", "redisson-rwlock", "ringlock-zk", "curator-rwlock"})
    public String impl;

    private String key;

    @Override
    void keys() {
        key = key("rw");
    }

    @Benchmark
    @Threads(8)
    public void readMostly() throws Exception {
        cycle(0.9);
    }

    @Benchmark
    @Threads(8)
    public void writeHeavy() throws Exception {
        cycle(0.5);
    }

    private void cycle(double reads) throws Exception {
        boolean read = ThreadLocalRandom.current().nextDouble() < reads;
        (read ? locker.read(key) : locker.write(key)).close();
    }
}
