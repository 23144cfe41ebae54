package dev.ringlock.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis side of the lock contract and of the interceptor tests, for one test class: each client a
 * {@link RedisLockProvider} on a {@link LettuceConnectionFactory} of its own, as a separate process would have,
 * an admin connection that makes locks disappear, and the watchdog's scheduler. Made in {@code @BeforeAll}
 * (once the server runs) and closed in {@code @AfterAll}.
 */
final class RedisContractClients implements AutoCloseable {

    static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-test");

    /** Long enough that a waiter woken only by its poll is clearly slower than one woken by a message. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    /** Short, so that the watchdog renews during the tests and a deleted lock is noticed within a second. */
    static final Duration LEASE_TIME = Duration.ofSeconds(2);

    private final RedisServerExtension redis;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final LettuceConnectionFactory adminFactory;
    private final StringRedisTemplate admin;
    private final Map<LockProvider, LettuceConnectionFactory> factories = new ConcurrentHashMap<>();

    RedisContractClients(RedisServerExtension redis) {
        this.redis = redis;
        this.adminFactory = TestClients.redis(redis.host(), redis.port());
        this.admin = new StringRedisTemplate(adminFactory);
    }

    StringRedisTemplate admin() {
        return admin;
    }

    LockProvider create(LockLossListener lossListener) {
        LettuceConnectionFactory factory = TestClients.redis(redis.host(), redis.port());
        RedisLockProvider provider = new RedisLockProvider(factory, KEYSPACE, scheduler, lossListener, POLL_INTERVAL);
        provider.afterPropertiesSet();
        factories.put(provider, factory);
        return provider;
    }

    void close(LockProvider client) throws Exception {
        ((RedisLockProvider) client).destroy();
        LettuceConnectionFactory factory = factories.remove(client);
        if (factory != null) {
            factory.destroy();
        }
    }

    static void assertNothingLeftBehind(LockProvider client) {
        RedisLockProvider provider = (RedisLockProvider) client;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(provider.waitingKeys()).as("lock keys with registered waiters").isZero();
            assertThat(provider.gatedKeys()).as("lock keys with threads queued at the local gate").isZero();
            assertThat(provider.watchedLeases()).as("leases still renewed").isZero();
        });
    }

    /** Deletes the lock key, as its lease running out would; the watchdog's next renewal finds it gone. */
    void loseLock(LockHandle handle) {
        assertThat(admin.delete(((RedisLockHandle) handle).lockKey())).as("lock key existed").isTrue();
    }

    @Override
    public void close() {
        adminFactory.destroy();
        scheduler.shutdownNow();
    }
}
