package dev.ringlock.bench.lock;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.Clients;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;

/**
 * Curator's {@code InterProcessMutex} used directly: one mutex object per lock path, shared by the threads
 * (it keeps one lock node per thread), on one client with the auto-configuration's settings.
 */
final class CuratorMutexLocker implements Locker {

    private final CuratorFramework client = Clients.curator();
    private final ConcurrentMap<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();

    @Override
    public Object lock(String key) throws Exception {
        InterProcessMutex mutex = mutexes.computeIfAbsent(key, k -> new InterProcessMutex(client, "/curator/locks/" + k));
        if (!mutex.acquire(LockWaits.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw LockWaits.notAcquired("InterProcessMutex", key);
        }
        return mutex;
    }

    @Override
    public void unlock(Object held) throws Exception {
        ((InterProcessMutex) held).release();
    }

    @Override
    public void close() {
        client.close();
    }
}
