package dev.ringlock.bench.counter;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Unique ids from {@code Sequence.next()} on Redis, blocks of 1,000: per id, against one raw {@code INCR} per
 * id ({@link RedisCounterBenchmark#increment1} with {@code raw-incr}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SequenceBenchmark {

    static final int IDS_PER_CALL = 1_000;

    private Counter sequence;

    @Setup(Level.Trial)
    public void start() {
        sequence = Counters.create("ringlock-sequence", "bench-sequence-" + System.nanoTime());
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        sequence.close();
    }

    /** One block's worth of ids per timed call, so that the timer's own cost is spread over 1,000 ids. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(IDS_PER_CALL)
    public void next1(Blackhole ids) throws Exception {
        for (int i = 0; i < IDS_PER_CALL; i++) {
            ids.consume(sequence.incrementAndGet());
        }
    }
}
