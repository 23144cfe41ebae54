package dev.ringlock.redis;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes this JVM's waiters when a release of their lock is announced on the release channel
 * ({@link RedisReleaseChannel} calls {@link #fire}).
 * <p>
 * Each waited-for lock key has one {@link Signal} with a generation count; a waiter reads the generation
 * before it tries the lock and then waits for it to change, so a release announced between the try and
 * the wait is not missed. Pub/sub is at most once: a waiter also wakes after its poll interval, and the
 * lock's remaining lease, without a message.
 */
final class RedisReleaseSignals {

    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

    /**
     * Registers interest in releases of {@code lockKey}; pair with {@link #unregister}.
     * <p>
     * Lock-free while the key has waiters: many threads waiting on one key (virtual threads by the thousand) would
     * otherwise contend for the map's bin monitor, and a virtual thread blocked on a monitor pins its carrier on
     * Java 21. Only the first waiter's insertion and the last one's removal touch the map's bin locks.
     */
    Signal register(String lockKey) {
        while (true) {
            Signal signal = signals.get(lockKey);
            if (signal == null) {
                Signal created = new Signal(lockKey);
                signal = signals.putIfAbsent(lockKey, created);
                if (signal == null) {
                    signal = created;
                }
            }
            if (signal.retain()) {
                return signal;
            }
            // the last waiter just left it: it is (being) removed, a new one takes its place
            signals.remove(lockKey, signal);
        }
    }

    void unregister(Signal signal) {
        if (signal.releaseLast()) {
            signals.remove(signal.lockKey, signal);
        }
    }

    /** Wakes this JVM's waiters for {@code lockKey}, if any. */
    void fire(String lockKey) {
        Signal signal = signals.get(lockKey);
        if (signal != null) {
            signal.fire();
        }
    }

    /** Number of lock keys with local waiters; for tests that check nothing is left behind. */
    int registeredKeys() {
        return signals.size();
    }

    static final class Signal {

        private final String lockKey;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition fired = lock.newCondition();
        private long generation;
        /** The registered waiters; {@link #RETIRED} once the last left, when no waiter may join it any more. */
        private final AtomicInteger waiters = new AtomicInteger();
        private static final int RETIRED = -1;

        Signal(String lockKey) {
            this.lockKey = lockKey;
        }

        /** Joins this signal's waiters, unless it is retired. */
        boolean retain() {
            int current;
            do {
                current = waiters.get();
                if (current == RETIRED) {
                    return false;
                }
            }
            while (!waiters.compareAndSet(current, current + 1));
            return true;
        }

        /**
         * Leaves this signal's waiters.
         * @return true if this was the last one, which retired the signal
         */
        boolean releaseLast() {
            return waiters.decrementAndGet() == 0 && waiters.compareAndSet(0, RETIRED);
        }

        long generation() {
            lock.lock();
            try {
                return generation;
            }
            finally {
                lock.unlock();
            }
        }

        void fire() {
            lock.lock();
            try {
                generation++;
                fired.signalAll();
            }
            finally {
                lock.unlock();
            }
        }

        /** Waits until the generation moves past {@code seen}, or {@code nanos} pass. */
        void await(long seen, long nanos) throws InterruptedException {
            lock.lock();
            try {
                long remaining = nanos;
                while (generation == seen && remaining > 0) {
                    remaining = fired.awaitNanos(remaining);
                }
            }
            finally {
                lock.unlock();
            }
        }
    }
}
