package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Locks on Redis.
 * <ul>
 * <li>Acquire: one script sets the lock key with its lease ({@code PX}) and issues the fencing token, floored
 * by the server's {@code TIME} in microseconds; one round trip.</li>
 * <li>Release: one compare-and-delete script on the handle's owner id; it announces the release on the
 * release channel only when a client is waiting.</li>
 * <li>Lease: renewed at a third of its length by one shared scheduler for all held locks
 * ({@link RedisLeaseWatchdog}); a renewal that finds the lock gone marks the handle lost.</li>
 * <li>Waiting: woken by the release message, with a poll every {@code pollInterval} (and at the end of the
 * holder's lease) as fallback, never a spin.</li>
 * </ul>
 * Redis replicates asynchronously: a failover can lose a lock. Fencing tokens are the guard.
 */
public final class RedisLockProvider implements LockProvider, InitializingBean, DisposableBean {

    /** How long a fence key outlives its lock's last acquisition; past it, the TIME floor alone keeps tokens increasing. */
    static final Duration FENCE_TTL = Duration.ofDays(1);

    private final RedisKeyspace keyspace;
    private final StringRedisTemplate redis;
    private final RedisLeaseWatchdog watchdog;
    private final LockLossListener lossListener;
    private final Duration pollInterval;
    private final RedisReleaseSignals signals = new RedisReleaseSignals();
    private final RedisMessageListenerContainer listenerContainer;
    private final String ownerPrefix = UUID.randomUUID() + ":";
    private final AtomicLong ownerSequence = new AtomicLong();

    /**
     * @param scheduler the shared scheduler that renews leases; not shut down here
     * @param pollInterval how often a waiter checks the lock without a release message
     */
    public RedisLockProvider(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace,
            ScheduledExecutorService scheduler, LockLossListener lossListener, Duration pollInterval) {
        Objects.requireNonNull(connectionFactory, "connectionFactory");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("'ringlock.lock.poll-interval' must be positive, was " + pollInterval);
        }
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.redis = new StringRedisTemplate(connectionFactory);
        this.watchdog = new RedisLeaseWatchdog(connectionFactory, redis, scheduler);
        this.lossListener = Objects.requireNonNull(lossListener, "lossListener");
        this.pollInterval = pollInterval;
        this.listenerContainer = new RedisMessageListenerContainer();
        this.listenerContainer.setConnectionFactory(connectionFactory);
        // The listener only signals local waiters: run it on the client's thread, not a thread per message.
        this.listenerContainer.setTaskExecutor(Runnable::run);
        this.listenerContainer.addMessageListener(signals, new ChannelTopic(keyspace.releaseChannel()));
    }

    /** Subscribes to the release channel; fails when Redis cannot be reached. */
    @Override
    public void afterPropertiesSet() {
        redis.execute(connection -> connection.ping(), true);
        watchdog.connect();
        listenerContainer.afterPropertiesSet();
        listenerContainer.start();
    }

    @Override
    public void destroy() throws Exception {
        listenerContainer.destroy();
    }

    @Override
    public String backend() {
        return "redis";
    }

    @Override
    public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
        String lockKey = keyspace.lockKey(request.key());
        List<String> keys = List.of(lockKey, keyspace.fenceKey(lockKey), keyspace.waitingKey(lockKey));
        String owner = ownerPrefix + ownerSequence.incrementAndGet();
        long leaseMillis = Math.max(1, request.leaseTime().toMillis());
        long deadline = System.nanoTime() + request.waitTime().toNanos();
        RedisReleaseSignals.Signal signal = null;
        try {
            while (true) {
                long seen = signal != null ? signal.generation() : 0;
                long sentAt = System.nanoTime();
                List<Long> reply = runAcquireScript(request.key(), keys, owner, leaseMillis, deadline - sentAt);
                if (reply == null || reply.size() != 2) {
                    throw new IllegalStateException("Unexpected reply " + reply + " from the acquire script for lock '"
                            + request.key() + "' on redis");
                }
                if (reply.get(0) == 1L) {
                    RedisLockHandle handle = new RedisLockHandle(this, request.key(), lockKey, owner, reply.get(1),
                            sentAt, leaseMillis);
                    watchdog.watch(handle);
                    return Optional.of(handle);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                if (signal == null) {
                    // Listen first, then try again at once, so that a release between our try and the
                    // subscription cannot be missed.
                    signal = signals.register(lockKey);
                    continue;
                }
                signal.await(seen, Math.min(remaining, nextPollNanos(reply.get(1))));
            }
        }
        finally {
            if (signal != null) {
                signals.unregister(signal);
            }
        }
    }

    private List<Long> runAcquireScript(String key, List<String> keys, String owner, long leaseMillis,
            long remainingNanos) {
        try {
            return redis.execute(RedisLockScripts.ACQUIRE, keys, owner, Long.toString(leaseMillis),
                    Long.toString(Math.max(0, TimeUnit.NANOSECONDS.toMillis(remainingNanos))),
                    Long.toString(FENCE_TTL.toMillis()));
        }
        catch (DataAccessException ex) {
            // The script may have run and only its answer been lost: take back a lock nobody would know of,
            // rather than leave it held until its lease ends.
            releaseQuietly(keys, owner);
            throw new LockBackendException(key, backend(), "acquiring", ex);
        }
    }

    private void releaseQuietly(List<String> keys, String owner) {
        try {
            runReleaseScript(keys.get(0), owner);
        }
        catch (DataAccessException ignore) {
            // the server is unreachable; the lease ends the lock if it was taken
        }
    }

    /** Deletes the lock if {@code owner} still holds it; 1 when deleted, 0 when it was no longer the owner's. */
    private @Nullable Long runReleaseScript(String lockKey, String owner) {
        return redis.execute(RedisLockScripts.RELEASE, List.of(lockKey, keyspace.waitingKey(lockKey)), owner,
                keyspace.releaseChannel());
    }

    /** Until the holder's lease ends, or the poll interval (jittered down by up to a quarter) passes. */
    private long nextPollNanos(long holderLeaseMillis) {
        long poll = pollInterval.toNanos();
        poll -= ThreadLocalRandom.current().nextLong(poll / 4 + 1);
        return holderLeaseMillis > 0 ? Math.min(poll, TimeUnit.MILLISECONDS.toNanos(holderLeaseMillis) + 1) : poll;
    }

    void stopRenewing(RedisLockHandle handle) {
        watchdog.unwatch(handle);
    }

    void release(RedisLockHandle handle) {
        watchdog.unwatch(handle);
        try {
            Long released = runReleaseScript(handle.lockKey(), handle.owner());
            if (released != null && released == 0L) {
                handle.foundLostAtRelease();
            }
            else {
                // waiters in this JVM need not wait for the release message's round trip
                signals.fire(handle.lockKey());
            }
        }
        catch (DataAccessException ex) {
            throw new LockBackendException(handle.key(), backend(), "releasing", ex);
        }
    }

    LockLossListener lossListener() {
        return lossListener;
    }

    /** Lock keys this JVM is waiting for; for tests that check nothing is left behind. */
    int waitingKeys() {
        return signals.registeredKeys();
    }

    /** Leases this JVM renews; for tests. */
    int watchedLeases() {
        return watchdog.watched();
    }

    /** Stops renewing leases without releasing them, as if this process froze; for fault tests. */
    void suspendWatchdogForTests() {
        watchdog.suspend();
    }

    /** Lets the watchdog renew again, as if this process thawed; the next renewal finds out what was lost. */
    void resumeWatchdogForTests() {
        watchdog.resume();
    }
}
