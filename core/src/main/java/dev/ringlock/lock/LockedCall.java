package dev.ringlock.lock;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One call of a {@link DistributedLock} method that holds no lock on its key yet: how it acquires through
 * the application's {@link LockTemplate}, and how it releases when its work ends.
 */
final class LockedCall {

    private final LockTemplate template;
    private final LockAttributes attributes;
    private final String key;
    private final Duration waitTime;
    private final LockLostPolicy lostPolicy;

    LockedCall(LockTemplate template, LockAttributes attributes, String key, Duration waitTime,
            LockLostPolicy lostPolicy) {
        this.template = template;
        this.attributes = attributes;
        this.key = key;
        this.waitTime = waitTime;
        this.lostPolicy = lostPolicy;
    }

    LockAttributes attributes() {
        return attributes;
    }

    /** Without a lease of the annotation's own, the template's lease applies. */
    Optional<LockHandle> tryAcquire() {
        @Nullable Duration leaseTime = attributes.leaseTime();
        @Nullable Duration holdAtLeast = attributes.holdAtLeast();
        if (holdAtLeast != null) {
            return template.tryAcquire(key, waitTime, leaseTime, holdAtLeast);
        }
        return leaseTime == null ? template.tryAcquire(key, waitTime) : template.tryAcquire(key, waitTime, leaseTime);
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
