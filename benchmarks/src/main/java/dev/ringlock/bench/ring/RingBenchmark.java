package dev.ringlock.bench.ring;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Ring lookups: {@code nodeFor} over 1,024 distinct keys per timed call (so the timer's own cost is spread
 * over many lookups, and no single key's path is learnt by the branch predictor), one thread. {@code ringlock}
 * is the default route ({@code RingRoute.SLOTS}), {@code ringlock-rendezvous} the route of earlier releases.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingBenchmark {

    static final int KEYS_PER_CALL = 1024;

    @Param({"ringlock", "ringlock-rendezvous", "guava", "ketama"})
    public String impl;

    @Param({"10", "100", "1000"})
    public int nodes;

    private Router router;
    private String[] keys;

    @Setup(Level.Trial)
    public void start() {
        List<String> ids = Routers.nodeIds(nodes);
        router = Routers.create(impl, ids);
        keys = new String[KEYS_PER_CALL];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "user:" + (i * 7919L + 104729L) + ":session";
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(KEYS_PER_CALL)
    public void nodeFor(Blackhole nodesOut) {
        for (String key : keys) {
            nodesOut.consume(router.nodeFor(key));
        }
    }
}
