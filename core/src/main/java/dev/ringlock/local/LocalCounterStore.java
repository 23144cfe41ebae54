package dev.ringlock.local;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.ringlock.counter.CounterNames;
import dev.ringlock.counter.CounterStore;

/**
 * Counters that exist only in this JVM, gone when it stops. Each update is one atomic
 * {@link ConcurrentMap#compute} on the counter's entry.
 */
public final class LocalCounterStore implements CounterStore {

    private final ConcurrentMap<String, Long> counters = new ConcurrentHashMap<>();

    @Override
    public String backend() {
        return LocalBackend.NAME;
    }

    @Override
    public long addAndGet(String name, long delta) {
        Long updated = counters.compute(name, (key, value) -> {
            long current = value == null ? 0 : value;
            try {
                return Math.addExact(current, delta);
            }
            catch (ArithmeticException ex) {
                throw CounterNames.overflow(name, "adding " + delta + " to " + current);
            }
        });
        return updated;
    }

    @Override
    public long get(String name) {
        Long value = counters.get(name);
        return value == null ? 0 : value;
    }

    @Override
    public boolean compareAndSet(String name, long expect, long update) {
        boolean[] set = new boolean[1];
        counters.compute(name, (key, value) -> {
            long current = value == null ? 0 : value;
            if (current != expect) {
                return value;
            }
            set[0] = true;
            return update;
        });
        return set[0];
    }

    @Override
    public void set(String name, long value) {
        counters.put(name, value);
    }

    @Override
    public void delete(String name) {
        counters.remove(name);
    }

    /** How many counters are held; for tests. */
    public int size() {
        return counters.size();
    }
}
