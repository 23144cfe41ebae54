package dev.ringlock.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.Clients;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * Redisson's {@code RLock} with its defaults: {@code lock()} without a lease time, so its watchdog holds a
 * {@code lockWatchdogTimeout} (30 s) lease and renews it every third of that. The async API with an explicit
 * owner thread id takes 100,000 locks in seconds rather than minutes of one round trip after another; the
 * renewal that follows is the same as after {@code lock()}.
 */
final class RedissonScaleContender implements ScaleContender {

    /** The owner "thread" of every lock: ownership is per key, so one id for all is what one thread's locks are. */
    private static final long OWNER = 1;

    /** Acquisitions in flight at once: enough to fill Redisson's connection pool without queueing 100,000. */
    private static final int IN_FLIGHT = 512;

    private final RedissonClient redisson = Clients.redisson();
    private final List<RLock> locks = new ArrayList<>();

    @Override
    public void acquireAll(String[] keys) throws Exception {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> pending = new ArrayList<>(keys.length);
        for (String key : keys) {
            RLock lock = redisson.getLock(key);
            locks.add(lock);
            slots.acquire();
            pending.add(lock.lockAsync(OWNER).toCompletableFuture().whenComplete((ok, failure) -> slots.release()));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    @Override
    public void releaseAll() throws Exception {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> pending = new ArrayList<>(locks.size());
        for (RLock lock : locks) {
            slots.acquire();
            pending.add(lock.unlockAsync(OWNER).toCompletableFuture().whenComplete((ok, failure) -> slots.release()));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        locks.clear();
    }

    @Override
    public String redisKey(String key) {
        return key;
    }

    @Override
    public int locallyValid() {
        // RLock has no local view of its lease: isLocked() and isHeldByThread() ask Redis
        return -1;
    }

    @Override
    public String settings() {
        return "Redisson RLock.lock() (async, same watchdog), lockWatchdogTimeout "
                + redisson.getConfig().getLockWatchdogTimeout() + " ms, lockWatchdogBatchSize "
                + redisson.getConfig().getLockWatchdogBatchSize();
    }

    @Override
    public void close() {
        redisson.shutdown();
    }
}
