package dev.ringlock.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Programmatic access to distributed locks.
 * <p>
 * Locks are not fair and, through {@link #acquire} and {@link #tryAcquire}, not re-entrant: each call
 * returns an independent handle, so a second acquire of a key the caller already holds waits for it.
 * {@link #executeWithLock} takes part in the re-entry of {@link DistributedLock} methods: called in a
 * call chain that already holds the key, it runs the action under the lock it has.
 */
public interface LockTemplate {

    /**
     * Acquires the lock on {@code key}, waiting at most {@code waitTime}.
     * @throws LockNotAcquiredException if the lock was not acquired within the wait time
     * @throws IllegalArgumentException if the key is blank or the wait time negative
     */
    LockHandle acquire(String key, Duration waitTime);

    /**
     * Acquires the lock on {@code key}, waiting at most {@code waitTime}; empty if it was not acquired.
     * @throws IllegalArgumentException if the key is blank or the wait time negative
     */
    Optional<LockHandle> tryAcquire(String key, Duration waitTime);

    /**
     * Runs {@code action} while holding the lock on {@code key}, and releases it afterwards.
     * @throws LockNotAcquiredException if the lock was not acquired within the wait time
     * @throws LockLostException if the lock was lost while the action ran (and {@code ringlock.lock.on-lost}
     * is {@code throw})
     * @throws java.util.concurrent.CompletionException wrapping a checked exception thrown by the action
     */
    <T> T executeWithLock(String key, Duration waitTime, Callable<T> action);
}
