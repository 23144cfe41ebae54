package dev.ringlock.bench.ring;

import java.util.concurrent.TimeUnit;

import dev.ringlock.ring.HashRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One join to a 1,000-node ring of the default route, what a live router does on a membership change: the
 * next slot table is derived from the current one (each slot's owner against the new node) instead of built.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RingJoinBenchmark {

    private HashRing ring;

    @Setup(Level.Trial)
    public void start() {
        ring = HashRing.of(Routers.nodeIds(1000));
    }

    @Benchmark
    @Threads(1)
    public Object join1000() {
        return ring.withNode("joining-node");
    }
}
