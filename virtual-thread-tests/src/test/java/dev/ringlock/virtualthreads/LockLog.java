package dev.ringlock.virtualthreads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The outside log of the locked methods: each call appends its entry and its exit while it holds the lock, so per
 * key the log is in lock order, and an overlap shows as an entry that follows an entry.
 */
final class LockLog {

    /** One entry into or exit from a locked method. */
    record Event(String key, boolean entry, long token, boolean virtual) {
    }

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    void enter(String key, long token) {
        events.add(new Event(key, true, token, Thread.currentThread().isVirtual()));
    }

    void exit(String key, long token) {
        events.add(new Event(key, false, token, Thread.currentThread().isVirtual()));
    }

    void clear() {
        events.clear();
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /** The log split by key, each in log order. */
    Map<String, List<Event>> byKey() {
        Map<String, List<Event>> byKey = new LinkedHashMap<>();
        for (Event event : events) {
            byKey.computeIfAbsent(event.key(), k -> new ArrayList<>()).add(event);
        }
        return byKey;
    }
}
