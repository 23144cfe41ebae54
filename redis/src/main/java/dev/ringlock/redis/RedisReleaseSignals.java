package dev.ringlock.redis;

import java.util.concurrent.ConcurrentHashMap;
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

    /** Registers interest in releases of {@code lockKey}; pair with {@link #unregister}. */
    Signal register(String lockKey) {
        return signals.compute(lockKey, (k, existing) -> {
            Signal signal = existing != null ? existing : new Signal(k);
            signal.waiters++;
            return signal;
        });
    }

    void unregister(Signal signal) {
        signals.computeIfPresent(signal.lockKey, (k, existing) -> --existing.waiters == 0 ? null : existing);
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
        /** Guarded by the map's compute. */
        private int waiters;

        Signal(String lockKey) {
            this.lockKey = lockKey;
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
