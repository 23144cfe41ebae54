package dev.ringlock.autoconfigure.actuator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import dev.ringlock.ring.RingChange;

/**
 * The last {@value #CAPACITY} changes of the live ring, with the time each was seen, for the actuator
 * endpoint. Fed by the router on its membership's thread; read by endpoint requests.
 */
final class RingChangeHistory implements Consumer<RingChange> {

    static final int CAPACITY = 20;

    /** One change and when this instance saw it. */
    record Entry(Instant at, RingChange change) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>(CAPACITY);

    @Override
    public void accept(RingChange change) {
        Entry entry = new Entry(Instant.now().truncatedTo(ChronoUnit.MILLIS), change);
        synchronized (entries) {
            if (entries.size() == CAPACITY) {
                entries.removeLast();
            }
            entries.addFirst(entry);
        }
    }

    /** The recorded changes, newest first. */
    List<Entry> newestFirst() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }
}
