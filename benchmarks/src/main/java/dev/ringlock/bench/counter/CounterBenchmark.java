package dev.ringlock.bench.counter;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The counter scenario, the same for every backend: every thread increments one shared counter. A subclass
 * per backend only declares its contenders as the {@code impl} parameter; JMH names the benchmarks after the
 * subclass (it generates none for this abstract class), so their names stay those the report looks up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class CounterBenchmark {

    private Counter counter;

    /** The parameter is declared by the subclass, so it is read here through JMH rather than as a field. */
    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        counter = Counters.create(params.getParam("impl"), "bench-" + System.nanoTime());
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
