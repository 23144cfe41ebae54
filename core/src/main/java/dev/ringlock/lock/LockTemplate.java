package dev.ringlock.lock;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

/**
 * Programmatic access to distributed locks.
 * <p>
 * Locks are not fair and, through {@link #acquire} and {@link #tryAcquire}, not re-entrant: each call
 * returns an independent handle, so a second acquire of a key the caller already holds waits for it.
 * {@link #executeWithLock} takes part in the re-entry of {@link DistributedLock} methods: called in a
 * call chain that already holds the key, it runs the action under the lock it has.
 * <p>
 * {@link DistributedLock} methods acquire through the application's {@code LockTemplate} bean, so a template
 * of the application's own replaces Ringlock's for the annotation too: the annotation calls
 * {@link #tryAcquire(String, Duration)}, or {@link #tryAcquire(String, Duration, Duration)} when it names a
 * {@link DistributedLock#leaseTime()}, or {@link #tryAcquire(String, Duration, Duration, Duration)} when it names a
 * {@link DistributedLock#holdAtLeast()}, and keeps re-entry, {@link FailureStrategy}, asynchronous results and
 * {@code ringlock.lock.on-lost} to itself.
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
     * Acquires the lock on {@code key} with a lease of {@code leaseTime}, waiting at most {@code waitTime};
     * empty if it was not acquired. A lease-based backend (Redis) gives the lock this lease, renewed while it
     * is held; a session-based one (ZooKeeper) has no lease and ignores it.
     * <p>
     * This is what a {@link DistributedLock} method with a {@link DistributedLock#leaseTime()} calls. The
     * default implementation is for templates that cannot take a lease per call: it checks the lease and
     * calls {@link #tryAcquire(String, Duration)}, so the template's own lease applies. Ringlock's template
     * overrides it and gives the lock the lease asked for.
     * @throws IllegalArgumentException if the key is blank, the wait time negative or the lease not positive
     */
    default Optional<LockHandle> tryAcquire(String key, Duration waitTime, Duration leaseTime) {
        Objects.requireNonNull(leaseTime, "'leaseTime' must not be null");
        if (leaseTime.isNegative() || leaseTime.isZero()) {
            throw new IllegalArgumentException("'leaseTime' must be positive, was " + leaseTime + " for lock '" + key + "'");
        }
        return tryAcquire(key, waitTime);
    }

    /**
     * Runs {@code action} while holding the lock on {@code key}, and releases it afterwards.
     * @throws LockNotAcquiredException if the lock was not acquired within the wait time
     * @throws LockLostException if the lock was lost while the action ran (and {@code ringlock.lock.on-lost}
     * is {@code throw})
     * @throws java.util.concurrent.CompletionException wrapping a checked exception thrown by the action
     */
    <T> T executeWithLock(String key, Duration waitTime, Callable<T> action);

    /**
     * Acquires the lock on {@code key} as {@link #tryAcquire(String, Duration, Duration)} does, and keeps it held
     * after its handle is closed until {@code holdAtLeast} after its acquisition (see {@link LockRequest} for how
     * each backend measures the hold); empty if it was not acquired.
     * <p>
     * This is what a {@link DistributedLock} method with a {@link DistributedLock#holdAtLeast()} calls. The
     * default implementation takes no hold: for a zero hold it calls the other {@code tryAcquire} methods, and
     * for a positive one it throws, since a template that cannot hold would silently run a scheduled job once per
     * instance instead of once per period. Ringlock's template overrides it.
     * @param leaseTime the lease; null for the template's own
     * @param holdAtLeast how long after the acquisition the lock stays held at least; zero for no hold
     * @throws IllegalArgumentException if the key is blank, the wait time or hold negative or the lease not positive
     * @throws UnsupportedOperationException if the hold is positive and this template does not support holds
     */
    default Optional<LockHandle> tryAcquire(String key, Duration waitTime, @Nullable Duration leaseTime,
            Duration holdAtLeast) {
        Objects.requireNonNull(holdAtLeast, "'holdAtLeast' must not be null");
        if (holdAtLeast.isNegative()) {
            throw new IllegalArgumentException("'holdAtLeast' must not be negative, was " + holdAtLeast + " for lock '"
                    + key + "'");
        }
        if (!holdAtLeast.isZero()) {
            throw new UnsupportedOperationException(getClass().getName() + " does not support 'holdAtLeast' (lock '"
                    + key + "'); override LockTemplate.tryAcquire(String, Duration, Duration, Duration)");
        }
        return leaseTime == null ? tryAcquire(key, waitTime) : tryAcquire(key, waitTime, leaseTime);
    }

    /**
     * Runs {@code action} while holding the lock on {@code key}, as {@link #executeWithLock(String, Duration, Callable)}
     * does, and keeps the lock held after it until {@code holdAtLeast} after its acquisition. Called in a call chain
     * that already holds the key, it runs the action under the lock it has, whose hold stays what it was.
     * <p>
     * The default implementation takes no hold: it calls {@link #executeWithLock(String, Duration, Callable)} for a
     * zero hold and throws for a positive one. Ringlock's template overrides it.
     * @throws UnsupportedOperationException if the hold is positive and this template does not support holds
     */
    default <T> T executeWithLock(String key, Duration waitTime, Duration holdAtLeast, Callable<T> action) {
        Objects.requireNonNull(holdAtLeast, "'holdAtLeast' must not be null");
        if (holdAtLeast.isNegative()) {
            throw new IllegalArgumentException("'holdAtLeast' must not be negative, was " + holdAtLeast + " for lock '"
                    + key + "'");
        }
        if (!holdAtLeast.isZero()) {
            throw new UnsupportedOperationException(getClass().getName() + " does not support 'holdAtLeast' (lock '"
                    + key + "'); override LockTemplate.executeWithLock(String, Duration, Duration, Callable)");
        }
        return executeWithLock(key, waitTime, action);
    }

    /**
     * Acquires a READ lock on {@code key}, shared with other readers and excluding writers, waiting at most
     * {@code waitTime}; empty if it was not acquired.
     * @throws UnsupportedOperationException if the backend has no read locks
     */
    default Optional<LockHandle> tryAcquireRead(String key, Duration waitTime) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support READ locks (lock '" + key
                + "')");
    }

    /**
     * Acquires one of {@code permits} permits of {@code key} (at most that many holders at once, each with its
     * own fencing token), waiting at most {@code waitTime}; empty if none was free in time. Every caller of a key
     * must use the same number of permits.
     * @throws IllegalArgumentException if {@code permits < 1}, or the key is in use with another number of permits
     * @throws UnsupportedOperationException if the backend has no permit locks
     */
    default Optional<LockHandle> tryAcquirePermit(String key, int permits, Duration waitTime) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support permit locks (lock '" + key
                + "')");
    }

    /**
     * Acquires exclusive locks on all of {@code keys} or none, within the one {@code waitTime}: in the order of
     * their UTF-8 bytes (so that callers with overlapping key sets cannot deadlock), each key once, releasing what
     * it took if the rest cannot be had in time. The handle is a {@link MultiLockHandle}. {@link LockKeys#ordered}
     * gives that order, for a template of one's own.
     * @throws IllegalArgumentException if {@code keys} is empty or holds a null or blank key
     */
    default Optional<LockHandle> tryAcquireAll(Collection<String> keys, Duration waitTime) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support several keys (locks "
                + keys + ")");
    }
}
