package dev.ringlock.lock;

/**
 * What a {@link DistributedLock} method does when its lock was lost, or could no longer be
 * confirmed, while the method ran (property {@code ringlock.lock.on-lost}).
 */
public enum LockLostPolicy {

    /** Throw a {@link LockLostException} after the method returns, so the caller knows the work was unguarded. */
    THROW,

    /** Only log the loss at WARN; the {@link LockLostEvent} is published either way. */
    LOG
}
