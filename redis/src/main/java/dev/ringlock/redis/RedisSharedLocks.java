package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.lock.LockMode;
import dev.ringlock.lock.LockRequest;
import org.jspecify.annotations.Nullable;

/**
 * The Redis commands of READ and permit locks, the kinds that several holders share: their keys, their scripts'
 * arguments and the calls, for {@link RedisSharedLockAttempt}, {@link RedisLockProvider} (release) and
 * {@link RedisLeaseWatchdog} (renewal).
 * <p>
 * A shared lock marks the exclusive lock's own key, so the exclusive lock's script sees it as held without a
 * command more: {@code read} while readers hold it, {@code permits:<N>} while permit holders do, with the latest of
 * their lease ends as its {@code PX}. The holders themselves are a sorted set beside it, each owner id scored by
 * the end of its own lease by the server's clock, and a hash of their tokens; every acquisition first drops the
 * holders whose lease has ended, so a dead holder frees exactly its own permit, exactly when its lease ends. Tokens
 * come from the exclusive lock's fence key, so every entry of any kind gets a larger token than all before it.
 * All these keys extend the lock key's name and so share its hash tag (one Cluster slot).
 */
final class RedisSharedLocks {

    /** The lock key's value while readers hold it. */
    static final String READ_MARKER = "read";

    private final RedisKeyspace keyspace;
    private final BoundedScripts scripts;
    private final ScheduledExecutorService scheduler;

    RedisSharedLocks(RedisKeyspace keyspace, BoundedScripts scripts, ScheduledExecutorService scheduler) {
        this.keyspace = keyspace;
        this.scripts = scripts;
        this.scheduler = scheduler;
    }

    /** The lock key's value while holders of {@code request}'s kind hold it: {@code read} or {@code permits:<N>}. */
    static String marker(LockRequest request) {
        return request.mode() == LockMode.READ ? READ_MARKER : "permits:" + request.permits();
    }

    /** The key is held with another number of permits than {@code request} asks for. */
    static IllegalArgumentException permitsMismatch(LockRequest request, long inUse) {
        return new IllegalArgumentException("Lock '" + request.key() + "' on redis is in use with " + inUse
                + " permit(s) and was asked for with " + request.permits()
                + "; use one number of permits per key (the exclusive and READ locks count as 1)");
    }

    /** The keys of {@code lock-shared-acquire.lua}. */
    List<String> acquireKeys(String lockKey) {
        return List.of(lockKey, keyspace.fenceKey(lockKey), keyspace.waitingKey(lockKey),
                keyspace.holdersKey(lockKey), keyspace.tokensKey(lockKey), keyspace.writerWaitingKey(lockKey));
    }

    /** The keys of {@code lock-shared-release.lua}. */
    List<String> releaseKeys(String lockKey, String owner) {
        return List.of(lockKey, keyspace.waitingKey(lockKey), keyspace.holdersKey(lockKey),
                keyspace.tokensKey(lockKey), keyspace.releasedKey(lockKey, owner));
    }

    /** The keys of {@code lock-shared-renew.lua}. */
    List<String> renewKeys(String lockKey) {
        return List.of(lockKey, keyspace.holdersKey(lockKey), keyspace.tokensKey(lockKey));
    }

    /**
     * Runs the acquire script for {@code owner}, waiting at most {@code timeout} for its answer: {@code {1, token}},
     * {@code {0, ms until worth trying again}}, or {@code {2, permits in use}} for a key used with another count.
     */
    @Nullable List<Long> callAcquire(String lockKey, String owner, LockRequest request, long leaseMillis,
            long waitMillis, Duration timeout) throws InterruptedException {
        return scripts.callAcknowledged(RedisLockScripts.SHARED_ACQUIRE, acquireKeys(lockKey),
                List.of(owner, Long.toString(leaseMillis), Long.toString(waitMillis),
                        Long.toString(RedisLockProvider.FENCE_TTL.toMillis()), marker(request),
                        request.mode() == LockMode.READ ? "0" : Integer.toString(request.permits())),
                timeout, scheduler, RedisLockProvider.ACQUIRED);
    }

    /**
     * Removes {@code handle}'s holder from the holders, waiting at most {@code timeout}, through interrupts; 1 when it
     * held the lock, 0 when it no longer did. It leaves a release marker for as long, so that a run the client
     * resends after a reconnect answers 1 as the first did.
     */
    @Nullable Long callRelease(RedisLockHandle handle, Duration timeout) {
        return callRelease(handle.lockKey(), handle.owner(), handle.fencingToken(), timeout);
    }

    /** As {@link #callRelease(RedisLockHandle, Duration)}, for the holder {@code owner} with its {@code token}. */
    @Nullable Long callRelease(String lockKey, String owner, long token, Duration timeout) {
        return scripts.callGivingBack(RedisLockScripts.SHARED_RELEASE, releaseKeys(lockKey, owner),
                List.of(owner, keyspace.releaseChannel(), RedisLockProvider.markerMillis(timeout),
                        Long.toString(token)), timeout);
    }

    /**
     * Takes back a permit that {@code owner} may hold without knowing it (an acquire whose answer was lost), not
     * waited for; sent after the acquisition it undoes, on its connection; no release marker, since nobody waits
     * for the answer.
     */
    CompletableFuture<@Nullable Long> sendRelease(String lockKey, String owner, Duration timeout) {
        return scripts.sendUndo(RedisLockScripts.SHARED_RELEASE, releaseKeys(lockKey, owner), releaseArgs(owner), timeout,
                scheduler);
    }

    /** Extends the lease of {@code handle}'s holding; 1 when extended, 0 when it no longer held the lock. */
    CompletableFuture<@Nullable Long> sendRenew(RedisLockHandle handle, Duration timeout) {
        return scripts.sendAcknowledged(RedisLockScripts.SHARED_RENEW, renewKeys(handle.lockKey()),
                List.of(handle.owner(), Long.toString(handle.leaseMillis())), timeout, scheduler,
                RedisLockProvider.DONE);
    }

    private List<String> releaseArgs(String owner) {
        return List.of(owner, keyspace.releaseChannel());
    }
}
