package dev.ringlock.bench.kinds;

import java.util.List;
import java.util.Optional;

import dev.ringlock.bench.lock.LockWaits;
import dev.ringlock.bench.lock.RinglockLocker;
import dev.ringlock.lock.LockHandle;

/**
 * Ours: the {@code LockTemplate} of {@link RinglockLocker}, with the auto-configuration's defaults (a 30-second
 * lease renewed by the watchdog on Redis, the session on ZooKeeper).
 */
final class RinglockKinds implements KindLocker {

    private final RinglockLocker ringlock;

    RinglockKinds(RinglockLocker ringlock) {
        this.ringlock = ringlock;
    }

    @Override
    public AutoCloseable read(String key) {
        return acquired(ringlock.template().tryAcquireRead(key, LockWaits.WAIT), "READ lock", key);
    }

    @Override
    public AutoCloseable write(String key) {
        return ringlock.template().acquire(key, LockWaits.WAIT);
    }

    @Override
    public AutoCloseable permit(String key) {
        return acquired(ringlock.template().tryAcquirePermit(key, PERMITS, LockWaits.WAIT), "permit", key);
    }

    @Override
    public AutoCloseable all(List<String> keys) {
        return acquired(ringlock.template().tryAcquireAll(keys, LockWaits.WAIT), "lock on several keys", String.join(",", keys));
    }

    private static LockHandle acquired(Optional<LockHandle> handle, String what, String key) {
        return handle.orElseThrow(() -> LockWaits.notAcquired("Ringlock " + what, key));
    }

    @Override
    public void close() throws Exception {
        ringlock.close();
    }
}
