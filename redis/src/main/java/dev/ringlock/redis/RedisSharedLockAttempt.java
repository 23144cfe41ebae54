package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * One acquisition of a READ lock or permit on Redis, from the request to a handle or to the end of its wait; the
 * shared kinds' counterpart of {@link RedisLockAttempt}. Used once, by one thread.
 * <p>
 * Simpler than the exclusive lock's: no local queue and no hand-over, since several holders may enter at once and
 * whoever the release lets in is decided on Redis. Its steps: try the acquire script (its answer awaited until the
 * wait ends, but {@link RedisLockProvider#MIN_REPLY_WAIT} at least); if the key is not to be had, listen for
 * release messages and try once more at once (a release between the try and the subscription cannot be missed),
 * then wait for a release message, the poll interval or the moment the script named (the end of the earliest
 * holder's lease, after which its permit is free), whichever comes first. Through a Redis failure it tries again
 * at the poll interval until the wait runs out, then throws a
 * {@link dev.ringlock.lock.LockNotAcquiredException} that says what failed.
 */
final class RedisSharedLockAttempt {

    private final RedisLockProvider provider;
    private final RedisSharedLocks shared;
    private final RedisReleaseSignals signals;
    private final LockRequest request;
    private final String lockKey;
    private final String owner;
    private final long leaseMillis;
    private final long deadline;
    private final long pollNanos;

    /** Release messages for the key, once the attempt listens for them. */
    private RedisReleaseSignals.@Nullable Signal signal;

    RedisSharedLockAttempt(RedisLockProvider provider, RedisSharedLocks shared, RedisReleaseSignals signals,
            LockRequest request, Duration pollInterval) {
        this.provider = provider;
        this.shared = shared;
        this.signals = signals;
        this.request = request;
        this.lockKey = provider.lockKey(request.key());
        this.owner = provider.newOwner();
        this.leaseMillis = Math.max(1, request.leaseTime().toMillis());
        this.deadline = System.nanoTime() + request.waitTime().toNanos();
        this.pollNanos = pollInterval.toNanos();
    }

    /** Runs the attempt to its end; the lock, or empty when the wait ran out with the key not to be had. */
    Optional<LockHandle> run() throws InterruptedException {
        try {
            while (true) {
                long seen = signal != null ? signal.generation() : 0;
                long sentAt = System.nanoTime();
                List<Long> reply;
                try {
                    reply = runAcquireScript(deadline - sentAt);
                }
                catch (DataAccessException ex) {
                    awaitAfterFailure(seen, ex);
                    continue;
                }
                reply = RedisLockProvider.checkedReply(reply, request.key(), request.kind() + " acquire");
                if (reply.get(0) == 1L) {
                    return Optional.of(provider.acquiredShared(request.key(), lockKey, owner, reply.get(1), sentAt,
                            leaseMillis));
                }
                if (reply.get(0) == 2L) {
                    throw RedisSharedLocks.permitsMismatch(request, reply.get(1));
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                if (signal == null) {
                    signal = signals.register(lockKey);
                    continue;
                }
                signal.await(seen, Math.min(remaining, RedisLockAttempt.nextPollNanos(pollNanos, reply.get(1))));
            }
        }
        finally {
            if (signal != null) {
                signals.unregister(signal);
            }
        }
    }

    /** Runs the acquire script ({@link AcquireScriptCall}); an unanswered one gives back the holding it may have taken. */
    private @Nullable List<Long> runAcquireScript(long remainingNanos) throws InterruptedException {
        return AcquireScriptCall.run(remainingNanos,
                (remainingMillis, replyWait) -> shared.callAcquire(lockKey, owner, request, leaseMillis,
                        remainingMillis, replyWait),
                () -> shared.sendRelease(lockKey, owner, Duration.ofMillis(leaseMillis)));
    }

    /** Redis is down or does not answer: try again at the poll interval until the wait ends, then say what failed. */
    private void awaitAfterFailure(long seen, DataAccessException failure) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw RedisLockAttempt.notAcquiredAfterFailure(request, provider.backend(), failure);
        }
        if (signal == null) {
            signal = signals.register(lockKey);
        }
        signal.await(seen, Math.min(remaining, RedisLockAttempt.nextPollNanos(pollNanos, 0)));
    }
}
