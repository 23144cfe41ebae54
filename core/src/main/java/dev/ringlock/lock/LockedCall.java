package dev.ringlock.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One call of a {@link DistributedLock} method that holds no lock on its key yet: how it acquires through
 * the application's {@link LockTemplate}, and how it releases when its work ends.
 */
final class LockedCall {

    private final LockTemplate template;
    private final LockAttributes attributes;
    private final List<String> keys;
    private final String key;
    private final Duration waitTime;
    private final LockLostPolicy lostPolicy;

    LockedCall(LockTemplate template, LockAttributes attributes, List<String> keys, Duration waitTime,
            LockLostPolicy lostPolicy) {
        this.template = template;
        this.attributes = attributes;
        this.keys = keys;
        this.key = String.join(",", keys);
        this.waitTime = waitTime;
        this.lostPolicy = lostPolicy;
    }

    LockAttributes attributes() {
        return attributes;
    }

    /**
     * The locks on {@code keys} this call chain holds already, if it holds every one: a single handle, or for
     * several keys their handles together.
     */
    static Optional<LockHandle> reentered(List<String> keys, LockMode mode) {
        if (mode == LockMode.WRITE) {
            for (String key : keys) {
                requireNotReadOnly(key);
            }
        }
        if (keys.size() == 1) {
            return LockContext.heldInChain(keys.get(0));
        }
        List<LockHandle> held = new ArrayList<>(keys.size());
        for (String key : keys) {
            Optional<LockHandle> handle = LockContext.heldInChain(key);
            if (handle.isEmpty()) {
                return Optional.empty();
            }
            held.add(handle.get());
        }
        return Optional.of(new MultiLockHandle(held));
    }

    /**
     * Without a lease of the annotation's own, the template's lease applies. Several keys take exclusive locks
     * only, with the template's lease.
     */
    Optional<LockHandle> tryAcquire() {
        if (keys.size() > 1) {
            if (attributes.mode() != LockMode.WRITE || attributes.permits() > 1 || attributes.holdAtLeast() != null) {
                throw new IllegalArgumentException("Key '" + attributes.keySource() + "' of "
                        + attributes.method().getName() + "() gave several keys " + keys
                        + ": several keys take exclusive locks only (mode = WRITE, permits = 1, no holdAtLeast)");
            }
            return template.tryAcquireAll(keys, waitTime);
        }
        if (attributes.mode() == LockMode.READ) {
            return template.tryAcquireRead(key, waitTime);
        }
        if (attributes.permits() > 1) {
            return template.tryAcquirePermit(key, attributes.permits(), waitTime);
        }
        @Nullable Duration leaseTime = attributes.leaseTime();
        @Nullable Duration holdAtLeast = attributes.holdAtLeast();
        if (holdAtLeast != null) {
            return template.tryAcquire(key, waitTime, leaseTime, holdAtLeast);
        }
        return leaseTime == null ? template.tryAcquire(key, waitTime) : template.tryAcquire(key, waitTime, leaseTime);
    }

    /** A WRITE lock inside a READ lock of the same key would wait for itself, or run without exclusion. */
    static void requireNotReadOnly(String key) {
        if (LockContext.heldForReadOnly(key)) {
            throw new IllegalStateException("Lock '" + key + "' is held as READ further up this call chain and "
                    + "cannot be upgraded to WRITE; take the WRITE lock in the outer call");
        }
    }

    /** Enters {@code handle} as this call's current lock. */
    LockContext.Scope enter(LockHandle handle) {
        return attributes.mode() == LockMode.READ ? LockContext.enterRead(handle) : LockContext.enter(handle);
    }

    LockNotAcquiredException notAcquired() {
        return new LockNotAcquiredException(key, waitTime);
    }

    /** Releases after the method's work ended normally, applying {@code ringlock.lock.on-lost}. */
    void releaseAfterWork(LockHandle handle) {
        LockRelease.afterWork(handle, lostPolicy, "in " + attributes.method().getDeclaringClass().getSimpleName()
                + "." + attributes.method().getName() + "()");
    }
}
