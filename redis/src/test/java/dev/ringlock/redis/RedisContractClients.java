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
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis fixture of the lock contract and of the interceptor tests, for one test class: each client a
 * {@link RedisLockProvider} on a {@link LettuceConnectionFactory} of its own, as a separate process would have,
 * an admin connection that makes locks disappear, and the watchdog's scheduler. Registered on a static field
 * after the server's extension, so that it connects once the server runs and disconnects before it stops:
 * <pre>{@code
 * @RegisterExtension
 * @Order(1)
 * static final RedisServerExtension redis = new RedisServerExtension();
 *
 * @RegisterExtension
 * @Order(2)
 * static final RedisContractClients clients = new RedisContractClients(redis);
 * }</pre>
 */
final class RedisContractClients implements LockProviderFixture, BeforeAllCallback, AfterAllCallback {

    static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-test");

    /** Long enough that a waiter woken only by its poll is clearly slower than one woken by a message. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    /** Short, so that the watchdog renews during the tests and a deleted lock is noticed within a second. */
    static final Duration LEASE_TIME = Duration.ofSeconds(2);

    private final RedisServerExtension redis;
    private final Map<LockProvider, LettuceConnectionFactory> factories = new ConcurrentHashMap<>();

    private volatile ScheduledExecutorService scheduler;
    private volatile LettuceConnectionFactory adminFactory;
    private volatile StringRedisTemplate admin;

    RedisContractClients(RedisServerExtension redis) {
        this.redis = redis;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        scheduler = Executors.newScheduledThreadPool(2);
        adminFactory = TestClients.redis(redis.host(), redis.port());
        admin = new StringRedisTemplate(adminFactory);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (adminFactory != null) {
            adminFactory.destroy();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    StringRedisTemplate admin() {
        return admin;
    }

    @Override
    public LockProvider createClient(LockLossListener lossListener) {
        LettuceConnectionFactory factory = TestClients.redis(redis.host(), redis.port());
        RedisLockProvider provider = new RedisLockProvider(factory, KEYSPACE, scheduler, lossListener, POLL_INTERVAL);
        provider.afterPropertiesSet();
        factories.put(provider, factory);
        return provider;
    }

    @Override
    public void closeClient(LockProvider client) throws Exception {
        ((RedisLockProvider) client).destroy();
        LettuceConnectionFactory factory = factories.remove(client);
        if (factory != null) {
            factory.destroy();
        }
    }

    @Override
    public void assertNothingLeftBehind(LockProvider client) {
        RedisLockProvider provider = (RedisLockProvider) client;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(provider.waitingKeys()).as("lock keys with registered waiters").isZero();
            assertThat(provider.gatedKeys()).as("lock keys with threads queued at the local gate").isZero();
            assertThat(provider.watchedLeases()).as("leases still renewed").isZero();
        });
    }

    @Override
    public Duration leaseTime() {
        return LEASE_TIME;
    }

    /** Deletes the lock key, as its lease running out would; the watchdog's next renewal finds it gone. */
    @Override
    public void loseLock(LockHandle handle, LockProvider holderClient) {
        assertThat(admin.delete(((RedisLockHandle) handle).lockKey())).as("lock key existed").isTrue();
    }
}
