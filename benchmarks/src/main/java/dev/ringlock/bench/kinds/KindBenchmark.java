package dev.ringlock.bench.kinds;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What the lock-kind benchmarks share: one contender per trial, on the servers {@code run.sh} started, taking a
 * lock and giving it back at once (nothing is done while it is held, so the lock's own cost is all that is timed).
 * A subclass per primitive declares its contenders as the {@code impl} parameter, Ringlock on each backend and the
 * peer a user would pick instead on that backend, and names its keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class KindBenchmark {

    KindLocker locker;
    private String impl;

    /** Names the keys once the contender is known; the timed calls only read them. */
    abstract void keys();

    /** The parameter is declared by the subclass, so it is read here through JMH rather than as a field. */
    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        impl = params.getParam("impl");
        locker = KindLockers.create(impl);
        keys();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        locker.close();
    }

    /** A key of this contender's own: the contenders share the servers, never a key. */
    String key(String name) {
        return "bench-" + name + "-" + impl;
    }
}
