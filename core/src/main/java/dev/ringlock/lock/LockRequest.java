package dev.ringlock.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * What a caller asks of a {@link LockProvider}: the key, how long to wait, and the lease a
 * lease-based backend gives the lock (renewed while it is held).
 *
 * @param key the application's key, without prefix; not blank
 * @param waitTime how long to wait at most; zero tries once
 * @param leaseTime the lease of lease-based backends; positive
 */
public record LockRequest(String key, Duration waitTime, Duration leaseTime) {

    public LockRequest {
        LockKeys.requireValid(key);
        Objects.requireNonNull(waitTime, "'waitTime' must not be null");
        Objects.requireNonNull(leaseTime, "'leaseTime' must not be null");
        if (waitTime.isNegative()) {
            throw new IllegalArgumentException("'waitTime' must not be negative, was " + waitTime + " for lock '" + key + "'");
        }
        if (leaseTime.isNegative() || leaseTime.isZero()) {
            throw new IllegalArgumentException("'leaseTime' must be positive, was " + leaseTime + " for lock '" + key + "'");
        }
    }
}
