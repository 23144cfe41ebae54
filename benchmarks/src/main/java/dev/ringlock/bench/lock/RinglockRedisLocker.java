package dev.ringlock.bench.lock;

import java.time.Duration;

import dev.ringlock.autoconfigure.RinglockScheduler;
import dev.ringlock.bench.Clients;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLockProvider;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Ours: {@link LockTemplate} over the Redis provider, with the defaults of the auto-configuration. */
final class RinglockRedisLocker implements Locker {

    private final LettuceConnectionFactory connectionFactory = Clients.springRedis();
    private final RinglockScheduler scheduler = new RinglockScheduler();
    private final RedisLockProvider provider;
    private final LockTemplate template;

    RinglockRedisLocker() {
        // defaults of ringlock.key-prefix, ringlock.lock.poll-interval, ringlock.lock.lease-time and on-lost
        provider = new RedisLockProvider(connectionFactory, new RedisKeyspace("ringlock"), scheduler.executor(),
                event -> { }, Duration.ofSeconds(1));
        provider.afterPropertiesSet();
        template = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);
    }

    @Override
    public Object lock(String key) {
        return template.acquire(key, LockWaits.WAIT);
    }

    @Override
    public void unlock(Object held) {
        ((LockHandle) held).close();
    }

    @Override
    public void close() throws Exception {
        provider.destroy();
        scheduler.destroy();
        connectionFactory.destroy();
    }
}
