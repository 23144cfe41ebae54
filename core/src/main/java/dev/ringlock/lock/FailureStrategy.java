package dev.ringlock.lock;

/**
 * What a {@link DistributedLock} method does when the lock is not acquired within its wait time.
 */
public enum FailureStrategy {

    /** Throw a {@link LockNotAcquiredException} naming the key and the wait time. */
    THROW,

    /**
     * Do not run the method: return {@code null}, or an empty {@link java.util.Optional} for methods
     * that return one. Refused at start-up for methods returning a primitive.
     */
    SKIP
}
