package dev.ringlock.bench.ring;

import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Building a 300-node ring from its node ids (Guava's jump hash has nothing to build). {@code ringlock}
 * (route SLOTS) fills its 2^23-slot table from scratch, which a live router does once: joins and leaves derive
 * the next table ({@link RingJoinBenchmark} times one).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RingBuildBenchmark {

    @Param({"ringlock", "ringlock-rendezvous", "ketama"})
    public String impl;

    private List<String> ids;

    @Setup(Level.Trial)
    public void start() {
        ids = Routers.nodeIds(300);
    }

    @Benchmark
    @Threads(1)
    public Object build300() {
        return Routers.create(impl, ids);
    }
}
