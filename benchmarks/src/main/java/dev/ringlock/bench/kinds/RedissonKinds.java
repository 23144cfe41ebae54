package dev.ringlock.bench.kinds;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.Clients;
import dev.ringlock.bench.lock.LockWaits;
import org.redisson.api.RLock;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RedissonClient;

/**
 * Redisson's {@code RReadWriteLock}, {@code RPermitExpirableSemaphore} and multi-lock ({@code RedissonMultiLock}
 * over one {@code RLock} per key), with Redisson's defaults: locks on a watchdog-renewed 30-second lease, waiters
 * woken by pub/sub. A permit is taken with the same 30-second lease (Redisson renews no permit), and the semaphore
 * is given its {@link #PERMITS} permits once, on first use.
 */
final class RedissonKinds implements KindLocker {

    private final RedissonClient redisson = Clients.redisson();
    private final ConcurrentMap<String, RPermitExpirableSemaphore> semaphores = new ConcurrentHashMap<>();

    @Override
    public AutoCloseable read(String key) throws InterruptedException {
        return locked(redisson.getReadWriteLock(key).readLock(), "RReadWriteLock read lock", key);
    }

    @Override
    public AutoCloseable write(String key) throws InterruptedException {
        return locked(redisson.getReadWriteLock(key).writeLock(), "RReadWriteLock write lock", key);
    }

    @Override
    public AutoCloseable permit(String key) throws InterruptedException {
        RPermitExpirableSemaphore semaphore = semaphores.computeIfAbsent(key, this::semaphore);
        String permitId = semaphore.tryAcquire(LockWaits.WAIT.toMillis(), LockWaits.LEASE.toMillis(), TimeUnit.MILLISECONDS);
        if (permitId == null) {
            throw LockWaits.notAcquired("RPermitExpirableSemaphore", key);
        }
        return () -> semaphore.release(permitId);
    }

    private RPermitExpirableSemaphore semaphore(String key) {
        RPermitExpirableSemaphore semaphore = redisson.getPermitExpirableSemaphore(key);
        semaphore.trySetPermits(PERMITS);
        return semaphore;
    }

    @Override
    public AutoCloseable all(List<String> keys) throws InterruptedException {
        RLock multiLock = redisson.getMultiLock(keys.stream().map(redisson::getLock).toArray(RLock[]::new));
        return locked(multiLock, "RedissonMultiLock", String.join(",", keys));
    }

    /** Redisson's locks belong to the thread that locked: the benchmarks' threads release what they took. */
    private static AutoCloseable locked(RLock lock, String what, String key) throws InterruptedException {
        if (!lock.tryLock(LockWaits.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw LockWaits.notAcquired(what, key);
        }
        return lock::unlock;
    }

    @Override
    public void close() {
        redisson.shutdown();
    }
}
