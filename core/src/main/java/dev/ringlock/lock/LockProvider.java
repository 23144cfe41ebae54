package dev.ringlock.lock;

import java.util.Optional;

/**
 * The SPI each backend implements: acquire one lock for one request.
 * <p>
 * Implementations must give mutual exclusion per key, fencing tokens strictly increasing per key, handles
 * that any thread may release, and must wait without busy spinning. They report a lock they find lost
 * through the {@link LockLossListener} they were built with.
 */
public interface LockProvider {

    /** The backend's name as it appears in logs, metrics and errors: {@code redis}, {@code zookeeper}, {@code local}. */
    String backend();

    /**
     * Acquires the lock, waiting at most {@link LockRequest#waitTime()}.
     * @return the handle, or empty when the wait time ran out
     * @throws InterruptedException if the waiting thread was interrupted; nothing is left held
     */
    Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException;

    /**
     * Whether this backend implements the kind of lock {@code request} asks for. The default supports only the
     * exclusive lock ({@link LockRequest#isExclusive()}); a backend with read or permit locks overrides it.
     * {@link DefaultLockTemplate} checks it before every acquisition and throws {@link UnsupportedLockKindException}.
     */
    default boolean supports(LockRequest request) {
        return request.isExclusive();
    }

    /**
     * Throws {@link UnsupportedLockKindException} naming the backend, key and kind if {@code provider} does not
     * support {@code request}'s kind: the one check every caller of a provider shares.
     */
    static void requireSupported(LockProvider provider, LockRequest request) {
        if (!request.isExclusive() && !provider.supports(request)) {
            throw new UnsupportedLockKindException(provider.backend(), request);
        }
    }
}
