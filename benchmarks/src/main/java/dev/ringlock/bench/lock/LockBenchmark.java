package dev.ringlock.bench.lock;

import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.HandOverRecorder;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The lock scenarios, the same for every backend: acquire then release at once (an empty critical section),
 * so the lock's own cost is all that is timed. Uncontended: every thread its own key. Contended: 8 threads on
 * one key, with the hand-over latency (release to next entry) recorded beside JMH's timings.
 * <p>
 * A subclass per backend declares its contenders as the {@code impl} parameter and names the keys (each
 * backend keeps the key names its earlier results were taken with). JMH names the benchmarks after the
 * subclass (it generates none for this abstract class), so their names stay those the report looks up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class LockBenchmark {

    Locker locker;
    HandOverRecorder handOver;
    String[] contendedKeys;
    private String impl;

    /** The key of thread {@code thread} (JMH's thread index) in the uncontended benchmarks. */
    abstract String ownKey(String impl, int thread);

    /** The keys of the contended benchmarks, each with its own hand-over slot. */
    abstract String[] contendedKeys(String impl);

    /** The parameter is declared by the subclass, so it is read here through JMH rather than as a field. */
    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        impl = params.getParam("impl");
        locker = Lockers.create(impl);
        contendedKeys = contendedKeys(impl);
        handOver = new HandOverRecorder(contendedKeys.length);
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams iteration) {
        handOver.recording(iteration.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Trial)
    public void stop(BenchmarkParams params) throws Exception {
        String benchmark = classAndMethod(params);
        if (benchmark.substring(benchmark.indexOf('.') + 1).startsWith("contended")) {
            handOver.write(benchmark + "-" + impl);
        }
        locker.close();
    }

    /** {@code RedisLockBenchmark.contendedOneKey} of the running benchmark: the report finds its file by it. */
    private static String classAndMethod(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
    }

    /**
     * A new instance of the running benchmark's class, asked only for key names. A thread's state can be
     * handed the benchmark's own instance only by its concrete class, which {@link OwnKey}, shared by the
     * subclasses, cannot name; a benchmark's constructor does nothing (its setup does the work).
     */
    private static LockBenchmark namer(BenchmarkParams params) throws ReflectiveOperationException {
        String benchmark = params.getBenchmark();
        return Class.forName(benchmark.substring(0, benchmark.lastIndexOf('.'))).asSubclass(LockBenchmark.class)
                .getDeclaredConstructor().newInstance();
    }

    /** A key of this thread's own, named once per trial so that the timed calls only read it. */
    @State(Scope.Thread)
    public static class OwnKey {

        String key;

        @Setup(Level.Trial)
        public void start(BenchmarkParams params, ThreadParams thread) throws ReflectiveOperationException {
            key = namer(params).ownKey(params.getParam("impl"), thread.getThreadIndex());
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
}
