package dev.ringlock.bench.ack;

import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.lock.Locker;
import dev.ringlock.bench.lock.Lockers;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Locks whose acquisition a replica must confirm, on the Sentinel set-up {@code run.sh} starts (master, 1 replica,
 * 3 Sentinels): acquire then release at once, every thread its own key, as {@code RedisLockBenchmark}'s uncontended
 * rows. {@code ringlock-ack} waits for 1 replica after each acquisition; {@code redisson-synced} ({@code RLock} with
 * {@code checkLockSyncedSlaves}) after each lock and each unlock; {@code ringlock-no-ack}, on the same servers,
 * waits for none and prices the acknowledgement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AcknowledgementBenchmark {

    /** The contenders, by {@link Lockers}' names; {@code impl} as in the other lock benchmarks, which the report reads. */
    @Param({"ringlock-ack", "redisson-synced", "ringlock-no-ack"})
    public String impl;

    private Locker locker;

    @Setup(Level.Trial)
    public void start() {
        locker = Lockers.create(impl);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        locker.close();
    }

    /** A key of this thread's own, named once per trial so that the timed calls only read it. */
    @State(Scope.Thread)
    public static class OwnKey {

        String key;

        @Setup(Level.Trial)
        public void start(AcknowledgementBenchmark benchmark, ThreadParams thread) {
            key = "bench:ack:" + benchmark.impl + ":" + thread.getThreadIndex();
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
}
