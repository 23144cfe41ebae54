package dev.ringlock.lock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import dev.ringlock.lock.LockLossListener;
import org.jspecify.annotations.Nullable;

/**
 * The locks this instance holds now, as acquired through the auto-configured {@code LockTemplate}: a handle
 * is added when it is acquired and removed when it is released or found lost. Costs one concurrent map
 * put and remove per lock; only the actuator endpoint reads it.
 */
public final class HeldLocks {

    /** A lock's identity within one instance: fencing tokens never repeat for one key. */
    record Id(String key, long fencingToken) {
    }

    private final ConcurrentHashMap<Id, TrackedLockHandle> held = new ConcurrentHashMap<>();

    void add(TrackedLockHandle handle) {
        held.put(handle.id(), handle);
    }

    /**
     * Removes the handle.
     * @return true for exactly one caller per handle, the one that ends its tracking
     */
    boolean remove(TrackedLockHandle handle) {
        return held.remove(handle.id(), handle);
    }

    /** The held locks, oldest first. */
    public List<TrackedLockHandle> snapshot() {
        List<TrackedLockHandle> locks = new ArrayList<>(held.values());
        locks.sort(Comparator.comparing(TrackedLockHandle::since).thenComparing(TrackedLockHandle::key)
                .thenComparingLong(TrackedLockHandle::fencingToken));
        return locks;
    }

    /**
     * A loss listener for a backend's provider that ends the tracking of the lost lock, then tells
     * {@code next}; a provider reports a loss only through its listener, so this is how the tracked handle
     * learns of it.
     */
    public LockLossListener relayingTo(LockLossListener next) {
        return event -> {
            @Nullable TrackedLockHandle handle = held.get(new Id(event.key(), event.fencingToken()));
            if (handle != null) {
                handle.lost();
            }
            next.lockLost(event);
        };
    }
}
