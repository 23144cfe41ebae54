package dev.ringlock.redis;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Lets one thread at a time, per lock key, wait for that lock on Redis; the other threads of this provider
 * that want the same key queue here, in arrival order (fair), each until its own deadline.
 * <p>
 * Without it, a release woke every local waiter of the key and all of them ran the acquire script, of
 * which one could win: a thundering herd of wasted round trips. With it, only the head of the queue tries
 * Redis and listens for releases. The gate is held while waiting only, never while the lock is held: the
 * caller leaves it as soon as it got the lock or gave up, and the next thread in line moves up. Nothing
 * here is bound to the thread that holds the lock, so handles stay releasable from any thread. Waiters in
 * other processes are not affected: they still get the release message.
 * <p>
 * The head may also offer to take the lock straight from a releasing holder of this provider ({@link HandOver}).
 * At most {@link #HAND_OVERS_IN_A_ROW} hand-overs in a row per key: then a holder releases on Redis without
 * waking the local head itself, so that the head and waiters in other processes learn of the release by the
 * same message and race for the lock on equal terms, and a busy process cannot keep the lock from the others.
 * <p>
 * Concurrency: a key's queue is changed only inside {@link ConcurrentHashMap#compute} on that key, which
 * also removes the queue when its last waiter leaves; an entering thread therefore never joins a queue
 * that is being dropped, and no key outlives its waiters.
 */
final class LocalWaiterGate {

    /** Local hand-overs of one key before a holder lets waiters in other processes race for it. */
    static final int HAND_OVERS_IN_A_ROW = 8;

    private final ConcurrentHashMap<String, Line> queues = new ConcurrentHashMap<>();

    /** The queue of one key, and what the head's last attempt on Redis failed with, if it failed. */
    private static final class Line {

        private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(4);
        /** Set and cleared by the head; read by a queued thread that gives up, to say why it did not get in. */
        private volatile @Nullable RuntimeException failure;
        /** Hand-overs since a holder last released on Redis; changed under the key's compute. */
        private int handOvers;
    }

    /**
     * What a releasing holder does: hand the lock to the head of the queue ({@code handOver} not null), or release
     * it on Redis and wake the local head at once ({@code wakeLocalWaiter}), or release it and let the head
     * learn of it from the release message, as waiters in other processes do.
     */
    record Release(@Nullable HandOver handOver, boolean wakeLocalWaiter) {
    }

    private static final Release RELEASE_AND_WAKE = new Release(null, true);

    private static final Release RELEASE_AND_YIELD = new Release(null, false);

    /** A thread in a key's queue; pair {@link #enter} with {@link #leave}, in a {@code finally}. */
    static final class Waiter {

        private final String key;
        private final Thread thread = Thread.currentThread();
        /** Set once, under the key's compute, when this waiter becomes the head of its queue. */
        private volatile boolean admitted;
        /** Its offer to take the lock from a releasing holder; claimed under the key's compute, once admitted. */
        private final HandOver handOver;

        /** Whether this waiter had to queue behind another; read and written by its own thread only. */
        private boolean queued;
        /** What the head's last attempt failed with when this waiter gave up; its own thread only. */
        private @Nullable RuntimeException failureWhenGivenUp;

        private Waiter(String key, HandOver handOver) {
            this.key = key;
            this.handOver = handOver;
        }

        /** Whether this waiter was let through; false when it gave up at its deadline. */
        boolean admitted() {
            return admitted;
        }

        boolean queued() {
            return queued;
        }


        /**
         * For a waiter that gave up in the queue: why the thread ahead of it had not got the lock, when its
         * last attempt failed (Redis down, say); {@code null} when the lock was simply held.
         */
        @Nullable RuntimeException failureWhenGivenUp() {
            return failureWhenGivenUp;
        }
    }

    /**
     * Queues the current thread for {@code key} and waits until it is the head of the queue, or
     * {@code deadlineNanos} (by {@link System#nanoTime()}) passes.
     * @return the waiter: let through ({@link Waiter#admitted()}), or not, when the deadline passed first;
     * either way pass it to {@link #leave}
     * @throws InterruptedException if the thread was interrupted while queued (nothing is left queued, no
     * {@link #leave} needed)
     */
    Waiter enter(String key, long deadlineNanos, HandOver handOver) throws InterruptedException {
        Waiter waiter = new Waiter(key, handOver);
        queues.compute(key, (k, line) -> {
            Line l = line != null ? line : new Line();
            l.waiters.addLast(waiter);
            if (l.waiters.peekFirst() == waiter) {
                waiter.admitted = true;
            }
            return l;
        });
        if (waiter.admitted) {
            return waiter;
        }
        waiter.queued = true;
        boolean done = false;
        try {
            while (!waiter.admitted) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for lock key '" + key
                            + "' behind another thread of this process");
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, remaining);
            }
            done = true;
            return waiter;
        }
        finally {
            if (!done) {
                // Interrupted: drop out of the line (and pass the turn on, had it just come to us).
                leave(waiter);
            }
        }
    }

    /** Records what the head's last attempt failed with ({@code null}: it did not fail); for the head only. */
    void attempted(Waiter head, @Nullable RuntimeException failure) {
        Line line = queues.get(head.key);
        if (line != null && line.failure != failure) {
            line.failure = failure;
        }
    }

    /** For a holder about to release the lock of {@code key}: what to do with it (see {@link Release}). */
    Release release(String key) {
        Release[] decided = {RELEASE_AND_WAKE};
        queues.computeIfPresent(key, (k, line) -> {
            Waiter head = line.waiters.peekFirst();
            if (head == null || !head.admitted) {
                return line;
            }
            HandOver offer = head.handOver;
            if (!offer.claim()) {
                // closed, or being handed a lock by another holder already
                return line;
            }
            if (line.handOvers >= HAND_OVERS_IN_A_ROW) {
                offer.reopen();
                line.handOvers = 0;
                decided[0] = RELEASE_AND_YIELD;
            }
            else {
                line.handOvers++;
                decided[0] = new Release(offer, false);
            }
            return line;
        });
        return decided[0];
    }

    /** Leaves the queue, letting the next thread in line through; removes the key when nobody is left. */
    void leave(Waiter waiter) {
        queues.computeIfPresent(waiter.key, (k, line) -> {
            waiter.failureWhenGivenUp = line.failure;
            boolean wasHead = line.waiters.peekFirst() == waiter;
            line.waiters.remove(waiter);
            Waiter next = line.waiters.peekFirst();
            if (wasHead && next != null) {
                next.admitted = true;
                LockSupport.unpark(next.thread);
            }
            return line.waiters.isEmpty() ? null : line;
        });
    }

    /** Number of keys with a queue; for tests that check nothing is left behind. */
    int queuedKeys() {
        return queues.size();
    }

    /** Threads in the queue of {@code key}, the one let through included; for tests. */
    int waiters(String key) {
        // read under the key's compute, where the queue is changed
        int[] size = new int[1];
        queues.computeIfPresent(key, (k, line) -> {
            size[0] = line.waiters.size();
            return line;
        });
        return size[0];
    }
}
