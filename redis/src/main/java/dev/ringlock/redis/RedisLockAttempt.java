package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * One acquisition of a Redis lock, from the request to a handle or to the end of its wait: the state machine
 * behind {@link RedisLockProvider#tryAcquire}, kept apart from the provider as Curator keeps
 * {@code LockInternals} apart from {@code InterProcessMutex}. Used once, by one thread.
 * <p>
 * Its steps:
 * <ol>
 * <li><b>Queue locally</b> ({@link #enterLocalQueue}): of this provider's threads waiting for the key, only the
 * head of the local queue tries Redis ({@link LocalWaiterGate}); a request that does not wait skips the queue
 * and makes its one attempt at once.</li>
 * <li><b>Take a hand-over</b>: from the moment it heads the queue, the attempt offers to take the lock straight
 * from a holder of this process that releases it ({@link HandOver}); if one did, that is the lock. If one is
 * under way, the attempt waits for its answer ({@link #awaitHandOverInFlight}).</li>
 * <li><b>Try Redis</b> ({@link #tryOnRedis}): the acquire script, its answer awaited until the wait ends (but
 * {@link RedisLockProvider#MIN_REPLY_WAIT} at least).</li>
 * <li><b>Wait</b>: for a release message, or the poll interval, or the end of the holder's lease, whichever comes
 * first ({@link #awaitRelease}); through a Redis failure, at the poll interval ({@link #awaitAfterFailure}). The
 * attempt listens before it waits and tries once more after it started listening, so that a release between
 * its try and the subscription cannot be missed.</li>
 * <li><b>Deadline</b>: when the wait runs out, a last look for a hand-over, then no lock; after a failure, a
 * {@link LockNotAcquiredException} that says what failed.</li>
 * </ol>
 * Whatever the way out, {@link #cleanUp} gives back what the attempt took: its place in the queue, its
 * subscription, and a hand-over that arrived as it stopped waiting.
 */
final class RedisLockAttempt {

    private final RedisLockProvider provider;
    private final RedisReleaseSignals signals;
    private final LocalWaiterGate gate;
    private final LockRequest request;
    private final String lockKey;
    private final List<String> keys;
    private final String owner;
    private final long leaseMillis;
    private final long holdMillis;
    private final long deadline;
    private final long pollNanos;

    /** This thread's place in the local queue; null for a request that does not wait, or once out of it. */
    private LocalWaiterGate.@Nullable Waiter turn;

    /** The offer to take the lock from a local holder; null for a request that does not wait. */
    private @Nullable HandOver handOver;

    /** Release messages for the key, once the attempt listens for them. */
    private RedisReleaseSignals.@Nullable Signal signal;

    RedisLockAttempt(RedisLockProvider provider, RedisReleaseSignals signals, LocalWaiterGate gate,
            LockRequest request, Duration pollInterval) {
        this.provider = provider;
        this.signals = signals;
        this.gate = gate;
        this.request = request;
        this.lockKey = provider.lockKey(request.key());
        this.keys = provider.acquireKeys(lockKey);
        this.owner = provider.newOwner();
        this.leaseMillis = Math.max(1, request.leaseTime().toMillis());
        this.holdMillis = RedisLockHandle.holdMillis(request.holdAtLeast());
        this.deadline = System.nanoTime() + request.waitTime().toNanos();
        this.pollNanos = pollInterval.toNanos();
    }

    /** Runs the attempt to its end; the lock, or empty when the wait ran out with the lock held elsewhere. */
    Optional<LockHandle> run() throws InterruptedException {
        try {
            if (!request.waitTime().isZero()) {
                enterLocalQueue();
            }
            while (true) {
                long seen = signal != null ? signal.generation() : 0;
                if (turn != null) {
                    if (handOver.take()) {
                        return Optional.of(provider.handedOver(request.key(), lockKey, handOver));
                    }
                    if (handOver.claimed()) {
                        if (!awaitHandOverInFlight(seen)) {
                            return Optional.empty();
                        }
                        continue;
                    }
                }
                Tried tried = tryOnRedis();
                if (tried.handle() != null) {
                    return Optional.of(tried.handle());
                }
                if (tried.failure() != null) {
                    awaitAfterFailure(seen, tried.failure());
                    continue;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return lastLookForHandOver();
                }
                awaitRelease(seen, remaining, tried.holderLeaseMillis());
            }
        }
        finally {
            cleanUp();
        }
    }

    /**
     * Queues behind this provider's other waiters for the key, offering to take a hand-over from the moment it
     * heads the queue.
     */
    private void enterLocalQueue() throws InterruptedException {
        HandOver offer = new HandOver(provider.newOwner(), leaseMillis, holdMillis);
        handOver = offer;
        LocalWaiterGate.Waiter entered = gate.enter(lockKey, deadline, offer);
        turn = entered;
        if (!entered.admitted()) {
            gate.leave(entered);
            turn = null;
            RuntimeException failure = entered.failureWhenGivenUp();
            if (failure != null) {
                // the thread ahead could not reach Redis either: say so, as it will when it gives up
                throw notAcquiredAfterFailure(failure);
            }
            // Its turn never came and nothing is known yet of why: like a request that does not wait, it makes
            // its one attempt now, so that Redis itself says whether the lock is held or Redis is not answering.
        }
        else if (entered.queued()) {
            // It queued behind a thread that just took the lock (or gave up on it): the lock is most likely held,
            // so listen before the first try, which saves the second.
            signal = signals.register(lockKey);
        }
    }

    /**
     * A holder of this process is handing the lock to us and its answer is on the way: listen first (the holder
     * signals once it is done), then look again. False when the wait ran out meanwhile.
     */
    private boolean awaitHandOverInFlight(long seen) throws InterruptedException {
        if (signal == null) {
            signal = signals.register(lockKey);
            return true;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        signal.await(seen, remaining);
        return true;
    }

    /** What one try on Redis came to: the lock, a failure of Redis, or the remaining lease of its holder. */
    private record Tried(@Nullable LockHandle handle, @Nullable DataAccessException failure, long holderLeaseMillis) {
    }

    private Tried tryOnRedis() throws InterruptedException {
        long sentAt = System.nanoTime();
        List<Long> reply;
        try {
            reply = runAcquireScript(deadline - sentAt);
        }
        catch (DataAccessException ex) {
            if (turn != null) {
                gate.attempted(turn, ex);
            }
            return new Tried(null, ex, 0);
        }
        if (turn != null) {
            gate.attempted(turn, null);
        }
        reply = RedisLockProvider.checkedReply(reply, request.key(), "acquire");
        if (reply.get(0) == 2L) {
            throw RedisSharedLocks.permitsMismatch(request, reply.get(1));
        }
        if (reply.get(0) == 1L) {
            return new Tried(provider.acquired(request.key(), lockKey, owner, reply.get(1), sentAt, leaseMillis,
                    holdMillis), null, 0);
        }
        return new Tried(null, null, reply.get(1));
    }

    /** Runs the acquire script ({@link AcquireScriptCall}); an unanswered one gives back the lock it may have taken. */
    private @Nullable List<Long> runAcquireScript(long remainingNanos) throws InterruptedException {
        return AcquireScriptCall.run(remainingNanos,
                (remainingMillis, replyWait) -> provider.callAcquire(keys,
                        provider.acquireArgs(owner, leaseMillis, remainingMillis, null), replyWait),
                () -> provider.sendRelease(lockKey, owner, Duration.ofMillis(leaseMillis)));
    }

    /**
     * Redis is down or does not answer: wait through the outage as for a holder, trying again at the poll
     * interval (release messages are lost with the connection). When the wait has run out, says what failed.
     */
    private void awaitAfterFailure(long seen, DataAccessException failure) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw notAcquiredAfterFailure(failure);
        }
        if (signal == null) {
            signal = signals.register(lockKey);
        }
        signal.await(seen, Math.min(remaining, nextPollNanos(0)));
    }

    /** The lock is held elsewhere: listen first and try again at once, then wait for its release. */
    private void awaitRelease(long seen, long remaining, long holderLeaseMillis) throws InterruptedException {
        if (signal == null) {
            // Listen first, then try again at once, so that a release between our try and the subscription
            // cannot be missed.
            signal = signals.register(lockKey);
            return;
        }
        signal.await(seen, Math.min(remaining, nextPollNanos(holderLeaseMillis)));
    }

    /** The wait ran out: a hand-over that arrived at the last moment is still the lock. */
    private Optional<LockHandle> lastLookForHandOver() {
        if (turn != null && handOver.take()) {
            return Optional.of(provider.handedOver(request.key(), lockKey, handOver));
        }
        return Optional.empty();
    }

    private long nextPollNanos(long holderLeaseMillis) {
        return nextPollNanos(pollNanos, holderLeaseMillis);
    }

    /** Until the holder's lease ends, or the poll interval (jittered down by up to a quarter) passes. */
    static long nextPollNanos(long pollNanos, long holderLeaseMillis) {
        long poll = pollNanos - ThreadLocalRandom.current().nextLong(pollNanos / 4 + 1);
        return holderLeaseMillis > 0 ? Math.min(poll, TimeUnit.MILLISECONDS.toNanos(holderLeaseMillis) + 1) : poll;
    }

    private LockNotAcquiredException notAcquiredAfterFailure(RuntimeException cause) {
        return notAcquiredAfterFailure(request, provider.backend(), cause);
    }

    /** The wait for {@code request} ran out while Redis failed: says what failed. */
    static LockNotAcquiredException notAcquiredAfterFailure(LockRequest request, String backend,
            RuntimeException cause) {
        LockBackendException failure = new LockBackendException(request.key(), backend, "acquiring", cause);
        return new LockNotAcquiredException(request.key(), request.waitTime(), "Lock '" + request.key()
                + "' was not acquired within " + request.waitTime() + ": " + failure.getMessage(), failure);
    }

    private void cleanUp() {
        if (handOver != null && handOver.close()) {
            // handed over just as this thread stopped waiting (interrupted, say): nobody will use it
            provider.sendRelease(lockKey, handOver.owner(), Duration.ofMillis(leaseMillis));
        }
        if (signal != null) {
            signals.unregister(signal);
        }
        if (turn != null) {
            gate.leave(turn);
        }
    }
}
