package dev.ringlock.bench.lock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import dev.ringlock.bench.Clients;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Spring Integration's {@code RedisLockRegistry} with its defaults (spin-lock mode, 60-second expiry), over
 * the same kind of connection factory as ours.
 */
final class SpringRegistryLocker implements Locker {

    private final LettuceConnectionFactory connectionFactory = Clients.springRedis();
    private final RedisLockRegistry registry = new RedisLockRegistry(connectionFactory, "spring-registry");

    @Override
    public Object lock(String key) throws InterruptedException {
        Lock lock = registry.obtain(key);
        if (!lock.tryLock(LockWaits.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw LockWaits.notAcquired("RedisLockRegistry lock", key);
        }
        return lock;
    }

    @Override
    public void unlock(Object held) {
        ((Lock) held).unlock();
    }

    @Override
    public void close() throws Exception {
        registry.destroy();
        connectionFactory.destroy();
    }
}
