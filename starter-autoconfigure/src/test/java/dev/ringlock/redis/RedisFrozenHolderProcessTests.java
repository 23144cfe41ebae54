package dev.ringlock.redis;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.AbstractFrozenHolderProcessTests;
import dev.ringlock.FrozenHolderMain;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A Redis lock holder in another JVM ({@link FrozenHolderMain}) of a mutex, a READ lock and a permit, frozen past
 * its lease and thawed: its lease has run out on the server, which handed the lock to this JVM.
 */
class RedisFrozenHolderProcessTests extends AbstractFrozenHolderProcessTests {

    private static final Duration LEASE = Duration.ofSeconds(1);

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static ScheduledExecutorService scheduler;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;
    private static RedisLockProvider provider;
    private static LockTemplate here;

    @BeforeAll
    static void startSchedulerAndClient() {
        scheduler = Executors.newScheduledThreadPool(1);
        factory = TestClients.redis(redisServer.host(), redisServer.port());
        redis = new StringRedisTemplate(factory);
        provider = new RedisLockProvider(factory, new RedisKeyspace(PREFIX), scheduler, event -> {
        }, Duration.ofMillis(200));
        provider.afterPropertiesSet();
        here = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);
    }

    @AfterAll
    static void stopSchedulerAndClient() throws Exception {
        if (provider != null) {
            provider.destroy();
        }
        if (factory != null) {
            factory.destroy();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    protected String[] holderArguments(String key, String resource) {
        String address = redisServer.host() + ":" + redisServer.port();
        return new String[] {"redis", address, PREFIX, key, Long.toString(LEASE.toMillis()), address, resource};
    }

    @Override
    protected LockTemplate here() {
        return here;
    }

    @Override
    protected StringRedisTemplate resources() {
        return redis;
    }

    @Override
    protected Duration newcomerWait() {
        return LEASE.plusSeconds(10);
    }
}
