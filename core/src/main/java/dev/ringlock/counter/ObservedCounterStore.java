package dev.ringlock.counter;

import java.util.function.Supplier;

import dev.ringlock.counter.CounterStore;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes every operation of a {@link CounterStore} as {@value #NAME}, with low-cardinality keys
 * {@code operation} ({@code increment}, {@code add}, {@code get}, {@code compare-and-set}, {@code set},
 * {@code delete}; a sequence's block reservation is an {@code add}) and {@code backend}; with Micrometer's
 * meter handler (as Spring Boot's actuator registers it) that is one timer per operation kind and backend.
 * The counter's name is a high-cardinality key, for traces only.
 */
public final class ObservedCounterStore implements CounterStore {

    static final String NAME = "ringlock.counter";

    private final CounterStore delegate;
    private final ObservationRegistry registry;
    private final KeyValues[] keys;

    public ObservedCounterStore(CounterStore delegate, ObservationRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
        Kind[] kinds = Kind.values();
        this.keys = new KeyValues[kinds.length];
        for (Kind kind : kinds) {
            keys[kind.ordinal()] = KeyValues.of("operation", kind.tag, "backend", delegate.backend());
        }
    }

    /** The observed store. */
    public CounterStore delegate() {
        return delegate;
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    @Override
    public long incrementAndGet(String name) {
        return observe(Kind.INCREMENT, name, () -> delegate.incrementAndGet(name));
    }

    @Override
    public long addAndGet(String name, long delta) {
        return observe(Kind.ADD, name, () -> delegate.addAndGet(name, delta));
    }

    @Override
    public long get(String name) {
        return observe(Kind.GET, name, () -> delegate.get(name));
    }

    @Override
    public boolean compareAndSet(String name, long expect, long update) {
        return observe(Kind.COMPARE_AND_SET, name, () -> delegate.compareAndSet(name, expect, update));
    }

    @Override
    public void set(String name, long value) {
        observe(Kind.SET, name, () -> {
            delegate.set(name, value);
            return null;
        });
    }

    @Override
    public void delete(String name) {
        observe(Kind.DELETE, name, () -> {
            delegate.delete(name);
            return null;
        });
    }

    private <T> T observe(Kind kind, String name, Supplier<T> operation) {
        return Observation.createNotStarted(NAME, registry)
                .contextualName("ringlock counter " + kind.tag)
                .lowCardinalityKeyValues(keys[kind.ordinal()])
                .highCardinalityKeyValue("counter", name)
                .observe(operation);
    }

    private enum Kind {

        INCREMENT("increment"), ADD("add"), GET("get"), COMPARE_AND_SET("compare-and-set"), SET("set"), DELETE("delete");

        final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }
}
