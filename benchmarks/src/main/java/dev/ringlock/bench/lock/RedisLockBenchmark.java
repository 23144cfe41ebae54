package dev.ringlock.bench.lock;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.HandOverRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Redis locks: acquire then release at once (an empty critical section), so the lock's own cost is all that
 * is timed. Uncontended: every thread its own key. Contended: 8 threads on one key, or on 8 keys picked at
 * random; there the hand-over latency (release to next entry) is recorded beside JMH's timings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisLockBenchmark {

    @Param({"ringlock", "raw-floor", "redisson-rlock", "redisson-fenced", "spring-registry"})
    public String impl;

    private Locker locker;
    private HandOverRecorder handOver;
    private String[] contendedKeys;

    @Setup(Level.Trial)
    public void start() {
        locker = Lockers.create(impl);
        handOver = new HandOverRecorder(8);
        contendedKeys = new String[8];
        for (int i = 0; i < contendedKeys.length; i++) {
            contendedKeys[i] = "bench:contended:" + impl + ":" + i;
        }
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams iteration) {
        handOver.recording(iteration.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Trial)
    public void stop(BenchmarkParams params) throws Exception {
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        if (method.startsWith("contended")) {
            handOver.write("RedisLockBenchmark." + method + "-" + impl);
        }
        locker.close();
    }

    /** A key of this thread's own. */
    @State(Scope.Thread)
    public static class OwnKey {

        String key;

        @Setup(Level.Trial)
        public void start(RedisLockBenchmark benchmark, ThreadParams thread) {
            key = "bench:uncontended:" + benchmark.impl + ":" + thread.getThreadIndex();
        }
    }

    @Benchmark
    @Threads(1)
    public void uncontended1(OwnKey own) throws Exception {
        locker.unlock(locker.lock(own.key));
    }

    @Benchmark
    @Threads(8)
    public void uncontended8(OwnKey own) throws Exception {
        locker.unlock(locker.lock(own.key));
    }

    @Benchmark
    @Threads(8)
    public void contendedOneKey() throws Exception {
        LockCycles.handOver(locker, handOver, contendedKeys, 0);
    }

    @Benchmark
    @Threads(8)
    public void contendedEightKeys() throws Exception {
        LockCycles.handOver(locker, handOver, contendedKeys, ThreadLocalRandom.current().nextInt(8));
    }
}
