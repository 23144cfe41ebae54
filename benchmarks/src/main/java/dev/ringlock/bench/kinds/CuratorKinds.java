package dev.ringlock.bench.kinds;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.Clients;
import dev.ringlock.bench.lock.LockWaits;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessLock;
import org.apache.curator.framework.recipes.locks.InterProcessMultiLock;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;

/**
 * Curator's {@code InterProcessReadWriteLock}, {@code InterProcessSemaphoreV2} and {@code InterProcessMultiLock}
 * used directly, on one client with the auto-configuration's settings: one recipe object per path, shared by the
 * threads (each keeps one node per thread), as {@code CuratorMutexLocker} does for the mutex.
 */
final class CuratorKinds implements KindLocker {

    private static final String ROOT = "/curator/kinds/";

    private final CuratorFramework client = Clients.curator();
    private final ConcurrentMap<String, InterProcessReadWriteLock> readWriteLocks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, InterProcessSemaphoreV2> semaphores = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();

    @Override
    public AutoCloseable read(String key) throws Exception {
        return acquired(readWriteLock(key).readLock(), "InterProcessReadWriteLock read lock", key);
    }

    @Override
    public AutoCloseable write(String key) throws Exception {
        return acquired(readWriteLock(key).writeLock(), "InterProcessReadWriteLock write lock", key);
    }

    private InterProcessReadWriteLock readWriteLock(String key) {
        return readWriteLocks.computeIfAbsent(key, k -> new InterProcessReadWriteLock(client, ROOT + "rw/" + k));
    }

    @Override
    public AutoCloseable permit(String key) throws Exception {
        InterProcessSemaphoreV2 semaphore = semaphores.computeIfAbsent(key,
                k -> new InterProcessSemaphoreV2(client, ROOT + "semaphores/" + k, PERMITS));
        Lease lease = semaphore.acquire(LockWaits.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (lease == null) {
            throw LockWaits.notAcquired("InterProcessSemaphoreV2", key);
        }
        return lease;
    }

    @Override
    public AutoCloseable all(List<String> keys) throws Exception {
        List<InterProcessLock> locks = keys.stream()
                .<InterProcessLock>map(k -> mutexes.computeIfAbsent(k, p -> new InterProcessMutex(client, ROOT + "locks/" + p)))
                .toList();
        return acquired(new InterProcessMultiLock(locks), "InterProcessMultiLock", String.join(",", keys));
    }

    /** Curator's locks belong to the thread that acquired: the benchmarks' threads release what they took. */
    private static AutoCloseable acquired(InterProcessLock lock, String what, String key) throws Exception {
        if (!lock.acquire(LockWaits.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw LockWaits.notAcquired(what, key);
        }
        return lock::release;
    }

    @Override
    public void close() {
        client.close();
    }
}
