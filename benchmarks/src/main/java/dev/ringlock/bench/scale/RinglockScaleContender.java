package dev.ringlock.bench.scale;

import java.util.ArrayList;
import java.util.List;

import dev.ringlock.bench.lock.RinglockLocker;
import dev.ringlock.lock.LockHandle;

/**
 * Ours: {@link RinglockLocker#redis()}, the provider, scheduler and template as the auto-configuration builds them
 * (lease 30 s, renewed at a third of it in batched sweeps). Acquisitions are blocking calls, so {@link Parallel}
 * runs them on several threads; handles may be released from any thread.
 */
final class RinglockScaleContender implements ScaleContender {

    private final RinglockLocker locker = RinglockLocker.redis();
    private final List<LockHandle> handles = new ArrayList<>();

    @Override
    public void acquireAll(String[] keys) throws Exception {
        LockHandle[] taken = new LockHandle[keys.length];
        Parallel.forEach(keys.length, i -> taken[i] = (LockHandle) locker.lock(keys[i]));
        handles.addAll(List.of(taken));
    }

    @Override
    public void releaseAll() throws Exception {
        LockHandle[] held = handles.toArray(LockHandle[]::new);
        Parallel.forEach(held.length, i -> held[i].close());
        handles.clear();
    }

    @Override
    public String redisKey(String key) {
        // RedisKeyspace.lockKey with the default prefix; the harness's keys need no percent-encoding
        return "ringlock:lock:{" + key + "}";
    }

    @Override
    public int locallyValid() {
        return (int) handles.stream().filter(LockHandle::isValid).count();
    }

    @Override
    public String settings() {
        return "RedisLockProvider as RinglockLocker.redis() builds it, lease 30 s (ringlock.lock.lease-time default), "
                + "renewed every 10 s in batched sweeps of <= 250 locks per script call";
    }

    @Override
    public void close() throws Exception {
        locker.close();
    }
}
