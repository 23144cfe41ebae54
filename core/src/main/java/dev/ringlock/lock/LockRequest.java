package dev.ringlock.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * What a caller asks of a {@link LockProvider}: the key, how long to wait, the lease a lease-based backend
 * gives the lock (renewed while it is held), and how long at least the lock stays held after it was acquired.
 * <p>
 * A hold ({@code holdAtLeast}) changes what {@link LockHandle#close()} does: closed before the hold has run,
 * the handle stops vouching for the lock at once (it is no longer valid), but the lock stays taken for the
 * others until the hold, counted from the acquisition, has run; closed after, the lock is released at once.
 * Backends measure the rest of the hold on the server where they can (Redis: the key's remaining lease, counted
 * from the server time the fencing token was floored by) and otherwise on the holder's monotonic clock from the
 * acquisition's answer (ZooKeeper, local), never on a wall clock, so clocks that differ between machines do not
 * shorten it. A hold longer than the lease is allowed: renewals stop at close, and the key is then kept for the
 * rest of the hold alone. A hold never outlives what ends a lock anyway: a ZooKeeper session that ends takes
 * its lock node with it, hold or not.
 * <p>
 * The kind of lock is {@code mode} and {@code permits}: {@link LockMode#WRITE} with one permit is the exclusive
 * lock (what the shorter constructors ask for), {@link LockMode#READ} a shared one, and {@code WRITE} with
 * {@code permits > 1} a permit lock with at most that many holders. A backend that does not implement a kind
 * refuses it ({@link LockProvider#supports(LockRequest)}).
 *
 * @param key the application's key, without prefix; not blank
 * @param waitTime how long to wait at most; zero tries once
 * @param leaseTime the lease of lease-based backends; positive
 * @param holdAtLeast how long after its acquisition the lock stays held at least, even if closed before;
 * zero for no hold, and always zero for READ and permit locks
 * @param mode read or write; {@code WRITE} for the exclusive lock
 * @param permits how many holders the key admits at once; 1 except for permit locks, never more than 1 for READ
 */
public record LockRequest(String key, Duration waitTime, Duration leaseTime, Duration holdAtLeast, LockMode mode,
        int permits) {

    public LockRequest {
        LockKeys.requireValid(key);
        Objects.requireNonNull(mode, "'mode' must not be null");
        if (permits < 1) {
            throw new IllegalArgumentException("'permits' must be at least 1, was " + permits + " for lock '" + key + "'");
        }
        if (mode == LockMode.READ && permits > 1) {
            throw new IllegalArgumentException("'permits' must be 1 for a READ lock, was " + permits + " for lock '"
                    + key + "'");
        }
        Objects.requireNonNull(waitTime, "'waitTime' must not be null");
        Objects.requireNonNull(leaseTime, "'leaseTime' must not be null");
        Objects.requireNonNull(holdAtLeast, "'holdAtLeast' must not be null");
        if (waitTime.isNegative()) {
            throw new IllegalArgumentException("'waitTime' must not be negative, was " + waitTime + " for lock '" + key + "'");
        }
        if (leaseTime.isNegative() || leaseTime.isZero()) {
            throw new IllegalArgumentException("'leaseTime' must be positive, was " + leaseTime + " for lock '" + key + "'");
        }
        if (holdAtLeast.isNegative()) {
            throw new IllegalArgumentException("'holdAtLeast' must not be negative, was " + holdAtLeast + " for lock '"
                    + key + "'");
        }
        if (!holdAtLeast.isZero() && !(mode == LockMode.WRITE && permits == 1)) {
            // a hold keeps a scheduled job from running twice in one period: a shared lock cannot promise that
            throw new IllegalArgumentException("'holdAtLeast' works only with the exclusive lock (WRITE, one permit), was "
                    + holdAtLeast + " for the " + (permits > 1 ? "permit" : "read") + " lock '" + key
                    + "'; drop the hold or use the exclusive lock");
        }
    }

    /** An exclusive (WRITE, one permit) request, as before lock kinds existed. */
    public LockRequest(String key, Duration waitTime, Duration leaseTime, Duration holdAtLeast) {
        this(key, waitTime, leaseTime, holdAtLeast, LockMode.WRITE, 1);
    }

    /** Whether this is the exclusive lock: WRITE with one permit. */
    public boolean isExclusive() {
        return mode == LockMode.WRITE && permits == 1;
    }

    /** The kind's name as in metrics and errors: {@code write}, {@code read} or {@code permit}. */
    public String kind() {
        return permits > 1 ? "permit" : mode == LockMode.READ ? "read" : "write";
    }

    /** A request without a hold: the lock is released when its handle is closed. */
    public LockRequest(String key, Duration waitTime, Duration leaseTime) {
        this(key, waitTime, leaseTime, Duration.ZERO);
    }
}
