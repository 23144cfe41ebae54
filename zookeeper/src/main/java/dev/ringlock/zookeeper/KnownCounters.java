package dev.ringlock.zookeeper;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The last known state of the counters of one {@link CounterBatcher} stripe, so that an update can write
 * without reading first; a stale entry costs only a failed version check. Bounded, least recently used
 * dropped first. Not thread-safe: guarded by the stripe's lock.
 */
final class KnownCounters {

    private static final int CACHED = 32;

    private final Map<String, KnownCounter> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, KnownCounter> eldest) {
            return size() > CACHED;
        }
    };

    @Nullable KnownCounter get(String name) {
        return known.get(name);
    }

    void put(String name, KnownCounter counter) {
        known.put(name, counter);
    }

    void forget(String name) {
        known.remove(name);
    }
}
