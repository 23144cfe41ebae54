package dev.ringlock.testsupport.contract;

import java.time.Duration;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;

/**
 * What the lock tests need from one backend, written once per backend and run by both
 * {@link AbstractLockContractTests} (the {@link LockProvider} SPI) and
 * {@link AbstractDistributedLockInterceptorTests} (the {@code @DistributedLock} interceptor on top of it):
 * making and closing clients, checking that they left nothing behind, and losing a held lock on purpose.
 * <p>
 * The tests make every client through {@link #createClient}, close each one after the test that made it, and
 * call the other methods only while the backend's server runs. Only {@link #createClient} and
 * {@link #closeClient} are abstract, but the loss tests run by default ({@link #canLoseLocks()}), so a backend
 * also implements {@link #loseLock}, or answers {@code false} if its locks cannot be lost. A backend with state
 * of its own (waiters, leases, watched handles) checks it in {@link #assertNothingLeftBehind}.
 */
public interface LockProviderFixture {

    /**
     * A new client standing for a separate process (its own connection, session or Curator client, not one
     * shared with the other clients), reporting every lock it finds lost to {@code lossListener}.
     */
    LockProvider createClient(LockLossListener lossListener);

    /**
     * Closes a client made by {@link #createClient} and what it alone used (its connection); called once per
     * client, after the test that made it, whether it passed or not.
     */
    void closeClient(LockProvider client) throws Exception;

    /**
     * Checks that {@code client}, all of whose handles were closed, keeps no waiter, lease or handle state;
     * called after each test for each client, before {@link #closeClient}. It may wait a little for background
     * work to finish, and fails with an {@link AssertionError} naming what is left. The default checks nothing.
     */
    default void assertNothingLeftBehind(LockProvider client) {
    }

    /**
     * Whether this backend can lose a held lock (a lease or a session that ends); if so, {@link #loseLock} must
     * work. The loss tests are skipped when it returns {@code false}, as for in-process locks. {@code true} by
     * default.
     */
    default boolean canLoseLocks() {
        return true;
    }

    /**
     * Makes the server forget, or give away, the lock held through {@code handle} by {@code holderClient}, as an
     * expired lease or session would. It must not tell the holder: the holder has to find out by itself, within
     * {@link #lossDetectionTimeout()}, and report the loss to its listener. By default it throws
     * {@link UnsupportedOperationException}; a backend whose {@link #canLoseLocks()} is {@code true} overrides it.
     */
    default void loseLock(LockHandle handle, LockProvider holderClient) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot lose locks");
    }

    /**
     * The lease of the locks the tests acquire through templates: short on lease-based backends, so that the
     * watchdog renews during the tests and a lost lock is noticed soon. 30 s by default.
     */
    default Duration leaseTime() {
        return Duration.ofSeconds(30);
    }

    /** How long a holder may take to notice a lock lost by {@link #loseLock}. 10 s by default. */
    default Duration lossDetectionTimeout() {
        return Duration.ofSeconds(10);
    }
}
