package dev.ringlock.bench.kinds;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;

/**
 * Locks on several keys at once: Ringlock's against Redisson's multi-lock ({@code RedissonMultiLock}) and Curator's
 * {@code InterProcessMultiLock}. One operation is the exclusive locks of 3 keys taken together and given back at
 * once: 8 threads on 3 keys drawn at random from 16 ({@link #threeOfSixteenKeys}), or 1 thread on 3 keys of its own
 * ({@link #uncontended1}). Keys are passed in the order of their UTF-8 bytes ({@link KindLocker#all}).
 */
public class MultiLockBenchmark extends KindBenchmark {

    private static final int SHARED_KEYS = 16;
    private static final int KEYS_PER_LOCK = 3;

    /** The contenders; JMH sets it, {@link KindBenchmark} reads it through {@code BenchmarkParams}. */
    @Param({"ringlock", "redisson-multilock", "ringlock-zk", "curator-multilock"})
    public String impl;

    /** Numbered with two digits, so that their order by index is their order by UTF-8 bytes. */
    private final String[] shared = new String[SHARED_KEYS];
    private List<String> own;

    @Override
    void keys() {
        for (int i = 0; i < SHARED_KEYS; i++) {
            shared[i] = key(String.format("multi-%02d", i));
        }
        own = List.of(key("multi-own-0"), key("multi-own-1"), key("multi-own-2"));
    }

    @Benchmark
    @Threads(8)
    public void threeOfSixteenKeys() throws Exception {
        locker.all(draw()).close();
    }

    @Benchmark
    @Threads(1)
    public void uncontended1() throws Exception {
        locker.all(own).close();
    }

    /** {@link #KEYS_PER_LOCK} different shared keys, in index order. */
    private List<String> draw() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int drawn = 0;
        while (Integer.bitCount(drawn) < KEYS_PER_LOCK) {
            drawn |= 1 << random.nextInt(SHARED_KEYS);
        }
        List<String> keys = new ArrayList<>(KEYS_PER_LOCK);
        for (int i = 0; i < SHARED_KEYS; i++) {
            if ((drawn & (1 << i)) != 0) {
                keys.add(shared[i]);
            }
        }
        return keys;
    }
}
