package dev.ringlock.bench.counter;

import java.util.concurrent.TimeUnit;

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

/** ZooKeeper counters: every thread increments one shared counter. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ZooKeeperCounterBenchmark {

    @Param({"ringlock-zk", "curator-dal", "curator-sharedcount"})
    public String impl;

    private Counter counter;

    @Setup(Level.Trial)
    public void start() {
        counter = Counters.create(impl, "bench-" + System.nanoTime());
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        counter.close();
    }

    @Benchmark
    @Threads(1)
    public long increment1() throws Exception {
        return counter.incrementAndGet();
    }

    @Benchmark
    @Threads(8)
    public long increment8() throws Exception {
        return counter.incrementAndGet();
    }
}
