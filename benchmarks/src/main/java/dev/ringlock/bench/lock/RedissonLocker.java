package dev.ringlock.bench.lock;

import java.util.concurrent.TimeUnit;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * Redisson's {@code RLock} ({@code fenced = false}) or {@code RFencedLock} ({@code fenced = true}, which
 * also returns a fencing token), with Redisson's defaults: a watchdog-renewed 30-second lease, waiters woken
 * by pub/sub. Both are owned by the thread that locked, as the benchmarks' threads release what they took.
 */
final class RedissonLocker implements Locker {

    private final RedissonClient redisson;
    private final boolean fenced;

    /** @param redisson the client of this contender alone, shut down by {@link #close()} */
    RedissonLocker(RedissonClient redisson, boolean fenced) {
        this.redisson = redisson;
        this.fenced = fenced;
    }

    @Override
    public Object lock(String key) throws InterruptedException {
        if (fenced) {
            var lock = redisson.getFencedLock(key);
            Long token = lock.tryLockAndGetToken(LockWaits.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (token == null) {
                throw LockWaits.notAcquired("RFencedLock", key);
            }
            return lock;
        }
        RLock lock = redisson.getLock(key);
        if (!lock.tryLock(LockWaits.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw LockWaits.notAcquired("RLock", key);
        }
        return lock;
    }

    @Override
    public void unlock(Object held) {
        ((RLock) held).unlock();
    }

    @Override
    public void close() {
        redisson.shutdown();
    }
}
