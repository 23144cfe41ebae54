package dev.ringlock.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.AbstractLockHandle;

/**
 * A Redis lock held under a lease; trusted locally until the last confirmed lease ends, minus a margin
 * for clock drift between this machine and the server (1% of the lease plus 2 ms, Redlock's figure).
 * The exclusive lock and the shared kinds (READ, permits; {@link RedisSharedLocks}) differ only in the scripts
 * that renew and release them, which {@link #shared()} selects.
 */
final class RedisLockHandle extends AbstractLockHandle {

    private final RedisLockProvider provider;
    private final String lockKey;
    private final String owner;
    private final long leaseMillis;
    private final long holdMillis;
    private final boolean shared;

    /** @param holdMillis the hold asked for (see {@link dev.ringlock.lock.LockRequest#holdAtLeast()}); 0 for none */
    RedisLockHandle(RedisLockProvider provider, String key, String lockKey, String owner, long token, long sentAtNanos,
            long leaseMillis, long holdMillis) {
        this(provider, key, lockKey, owner, token, sentAtNanos, leaseMillis, holdMillis, false);
    }

    /** @param shared whether this is a READ lock or a permit ({@link RedisSharedLocks}) */
    RedisLockHandle(RedisLockProvider provider, String key, String lockKey, String owner, long token, long sentAtNanos,
            long leaseMillis, long holdMillis, boolean shared) {
        super(RedisBackend.NAME, key, token, deadline(sentAtNanos, leaseMillis), provider.lossListener());
        this.provider = provider;
        this.lockKey = lockKey;
        this.owner = owner;
        this.leaseMillis = leaseMillis;
        this.holdMillis = holdMillis;
        this.shared = shared;
    }

    /** Whether this is a READ lock or a permit, renewed and released by {@link RedisSharedLocks}' scripts. */
    boolean shared() {
        return shared;
    }

    /** A hold in whole milliseconds, rounded up: a hold is a minimum. */
    static long holdMillis(Duration holdAtLeast) {
        long nanos = holdAtLeast.toNanos();
        return nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1);
    }

    long holdMillis() {
        return holdMillis;
    }

    static long deadline(long sentAtNanos, long leaseMillis) {
        long trusted = leaseMillis - leaseMillis / 100 - 2;
        return sentAtNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(trusted, 0));
    }

    String lockKey() {
        return lockKey;
    }

    String owner() {
        return owner;
    }

    long leaseMillis() {
        return leaseMillis;
    }

    /** How long the last confirmed lease still runs, by the local clock; 0 once it ran out. */
    long remainingLeaseNanos() {
        return Math.max(0, validUntilNanos() - System.nanoTime());
    }

    /** Up to when, by {@link System#nanoTime()}, the last confirmed lease vouches for the lock. */
    long trustedUntilNanos() {
        return validUntilNanos();
    }

    /** The server extended the lease; the request for it left at {@code sentAtNanos}. */
    void renewed(long sentAtNanos) {
        confirmUntil(deadline(sentAtNanos, leaseMillis));
    }

    /** Whether the watchdog should still keep this lease alive. */
    boolean held() {
        return isHeld();
    }

    void lost(String reason) {
        markLost(reason);
    }

    /** The release script found the lock no longer ours: its lease ran out, or someone took it, before. */
    void foundLostAtRelease() {
        lostBeforeRelease("its lease had run out, or another client had taken it, before it was released");
    }

    @Override
    protected void release() {
        provider.release(this);
    }

    @Override
    protected void onLost() {
        provider.stopRenewing(this);
    }
}
