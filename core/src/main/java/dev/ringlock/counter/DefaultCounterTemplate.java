package dev.ringlock.counter;

import java.util.Objects;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * The {@link CounterTemplate} over one {@link CounterStore}: checks arguments at the public edge, then
 * delegates; sequences reserve their blocks through the same store.
 */
public class DefaultCounterTemplate implements CounterTemplate {

    private final CounterStore store;
    private final @Nullable Executor prefetchExecutor;

    /**
     * @param prefetchExecutor runs the background reservation of a sequence's next block; null turns
     * prefetching off (every block is then reserved by the {@link Sequence#next()} call that needs it)
     */
    public DefaultCounterTemplate(CounterStore store, @Nullable Executor prefetchExecutor) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefetchExecutor = prefetchExecutor;
    }

    /** The store this template works on. */
    public CounterStore store() {
        return store;
    }

    @Override
    public long incrementAndGet(String name) {
        return store.incrementAndGet(CounterNames.requireValid(name));
    }

    @Override
    public long addAndGet(String name, long delta) {
        return store.addAndGet(CounterNames.requireValid(name), delta);
    }

    @Override
    public long get(String name) {
        return store.get(CounterNames.requireValid(name));
    }

    @Override
    public boolean compareAndSet(String name, long expect, long update) {
        return store.compareAndSet(CounterNames.requireValid(name), expect, update);
    }

    @Override
    public void set(String name, long value) {
        store.set(CounterNames.requireValid(name), value);
    }

    @Override
    public void delete(String name) {
        store.delete(CounterNames.requireValid(name));
    }

    @Override
    public Sequence sequence(String name, int blockSize) {
        CounterNames.requireValid(name);
        if (blockSize < 1) {
            throw new IllegalArgumentException("'blockSize' must be at least 1, was " + blockSize);
        }
        return new BlockSequence(store, name, blockSize, prefetchExecutor);
    }
}
