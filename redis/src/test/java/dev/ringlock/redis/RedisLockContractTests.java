package dev.ringlock.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.contract.AbstractLockContractTests;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockLostException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lock contract on {@link RedisLockProvider} against a real {@code redis-server}, plus what only Redis
 * has: leases and their watchdog, release messages, and tokens that survive a restart that lost the data.
 * Each client has its own {@link LettuceConnectionFactory}, as a separate process would.
 */
class RedisLockContractTests extends AbstractLockContractTests {

    /** Long enough that a waiter woken only by its poll is clearly slower than one woken by a message. */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-test");

    private static RedisTestServer server;
    private static ScheduledExecutorService scheduler;
    private static LettuceConnectionFactory adminFactory;
    private static StringRedisTemplate admin;

    private final Map<LockProvider, LettuceConnectionFactory> factories = new ConcurrentHashMap<>();

    @BeforeAll
    static void startServer() {
        server = RedisTestServer.create();
        scheduler = Executors.newScheduledThreadPool(2);
        adminFactory = connectionFactory();
        admin = new StringRedisTemplate(adminFactory);
    }

    @AfterAll
    static void stopServer() {
        if (adminFactory != null) {
            adminFactory.destroy();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    private static LettuceConnectionFactory connectionFactory() {
        return TestClients.redis(server.host(), server.port());
    }

    @Override
    protected LockProvider createClient(LockLossListener lossListener) {
        LettuceConnectionFactory factory = connectionFactory();
        RedisLockProvider provider = new RedisLockProvider(factory, KEYSPACE, scheduler, lossListener, POLL_INTERVAL);
        provider.afterPropertiesSet();
        factories.put(provider, factory);
        return provider;
    }

    @Override
    protected void closeClient(LockProvider client) throws Exception {
        ((RedisLockProvider) client).destroy();
        LettuceConnectionFactory factory = factories.remove(client);
        if (factory != null) {
            factory.destroy();
        }
    }

    @Override
    protected void assertNothingLeftBehind(LockProvider client) {
        RedisLockProvider provider = (RedisLockProvider) client;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(provider.waitingKeys()).as("lock keys with registered waiters").isZero();
            assertThat(provider.gatedKeys()).as("lock keys with threads queued at the local gate").isZero();
            assertThat(provider.watchedLeases()).as("leases still renewed").isZero();
        });
    }

    /** Short, so that the watchdog renews during the tests and a deleted lock is noticed within a second. */
    @Override
    protected Duration leaseTime() {
        return Duration.ofSeconds(2);
    }

    @Override
    protected int sectionsPerThread() {
        return 160;
    }

    /** Deletes the lock key, as its lease running out would; the watchdog's next renewal finds it gone. */
    @Override
    protected void loseLock(LockHandle handle, LockProvider holderClient) {
        assertThat(admin.delete(((RedisLockHandle) handle).lockKey())).as("lock key existed").isTrue();
    }

    private RedisLockProvider newRedisClient() {
        return (RedisLockProvider) newClient();
    }

    // ----------------------------------------------------------------- Redis only

    /** After a restart (or {@code SCRIPT FLUSH}) the server no longer knows the scripts: they go out as text once. */
    @Test
    void aServerThatForgotTheScriptsIsSentTheirText() throws Exception {
        RedisLockProvider holder = newRedisClient();
        String key = key("forgotten-scripts");
        DefaultLockTemplate shortLease = new DefaultLockTemplate(holder, Duration.ofMillis(600), LockLostPolicy.THROW);
        shortLease.acquire(key, Duration.ZERO).close();
        flushScripts();
        String lockKey;
        try (LockHandle handle = shortLease.acquire(key, Duration.ZERO)) {
            lockKey = ((RedisLockHandle) handle).lockKey();
            flushScripts();
            // renewals every 200 ms, each after a flush of its own, keep the 600 ms lease alive
            for (int i = 0; i < 3; i++) {
                flushScripts();
                await().during(Duration.ofMillis(250)).atMost(Duration.ofSeconds(2)).until(handle::isValid);
            }
            assertThat(admin.getExpire(lockKey, TimeUnit.MILLISECONDS)).isPositive();
            flushScripts();
        }
        assertThat(admin.hasKey(lockKey)).as("released").isFalse();
        assertThat(lossEvents(holder)).isEmpty();
    }

    private static void flushScripts() {
        admin.execute(connection -> {
            connection.scriptingCommands().scriptFlush();
            return null;
        }, true);
    }

    @Test
    void watchdogKeepsAShortLeaseAliveWhileTheHolderRuns() throws Exception {
        RedisLockProvider holder = newRedisClient();
        String key = key("renewed");
        DefaultLockTemplate shortLease = new DefaultLockTemplate(holder, Duration.ofMillis(600), LockLostPolicy.THROW);
        try (LockHandle handle = shortLease.acquire(key, Duration.ZERO)) {
            Thread.sleep(2000); // hold time: more than three leases
            assertThat(handle.isValid()).isTrue();
            assertThat(admin.getExpire(((RedisLockHandle) handle).lockKey(), TimeUnit.MILLISECONDS)).isPositive();
            assertHeldElsewhere(newClient(), key);
        }
        assertThat(lossEvents(holder)).isEmpty();
    }

    @Test
    void frozenHolderSeesItsLeaseRunOutAndReportsTheLossWhenItThaws() {
        assumeTrue(server.supportsFaults(), "server supports faults");
        RedisLockProvider holder = newRedisClient();
        LockProvider other = newClient();
        String key = key("frozen");
        DefaultLockTemplate shortLease = new DefaultLockTemplate(holder, Duration.ofMillis(600), LockLostPolicy.THROW);
        long beforeAcquire = System.nanoTime();
        LockHandle handle = shortLease.acquire(key, Duration.ZERO);
        assertThat(handle.isValid()).isTrue();

        holder.suspendWatchdogForTests();

        await().atMost(Duration.ofSeconds(3)).until(() -> !handle.isValid());
        // trusted for the lease minus the drift margin (600 - 6 - 2 ms) from when the acquire left, not less
        assertThat(System.nanoTime() - beforeAcquire).as("nanos until the handle gave up")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(590));
        LockHandle next = template(other).acquire(key, Duration.ofSeconds(5));
        try {
            assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
            assertThat(lossEvents(holder)).as("no renewal ran yet, so nobody told the holder").isEmpty();

            holder.resumeWatchdogForTests();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lossEvents(holder)).singleElement()
                    .satisfies(event -> {
                        assertThat(event.key()).isEqualTo(key);
                        assertThat(event.fencingToken()).isEqualTo(handle.fencingToken());
                        assertThat(event.backend()).isEqualTo("redis");
                    }));
            handle.close(); // must not delete the new holder's lock
            assertThat(next.isValid()).isTrue();
            assertHeldElsewhere(newClient(), key);
        }
        finally {
            next.close();
            handle.close();
        }
    }

    @Test
    void tokensKeepIncreasingAfterARestartThatLostTheData() {
        assumeTrue(server.supportsFaults(), "server supports faults");
        LockProvider client = newClient();
        DefaultLockTemplate template = template(client);
        String key = key("restart");
        long highest = 0;
        for (int i = 0; i < 5; i++) {
            try (LockHandle handle = template.acquire(key, Duration.ZERO)) {
                assertThat(handle.fencingToken()).isGreaterThan(highest);
                highest = handle.fencingToken();
            }
        }
        String fenceKey = KEYSPACE.fenceKey(KEYSPACE.lockKey(key));
        assertThat(admin.hasKey(fenceKey)).isTrue();

        server.restart();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .untilAsserted(() -> assertThat(admin.hasKey(fenceKey)).as("fence key after the restart").isFalse());
        long before = highest;
        LockHandle after = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> template.acquire(key, Duration.ZERO), h -> true);
        try {
            assertThat(after.fencingToken()).as("first token after the restart").isGreaterThan(before);
        }
        finally {
            after.close();
        }
        try (LockHandle again = template(newClient()).acquire(key, Duration.ZERO)) {
            assertThat(again.fencingToken()).isGreaterThan(after.fencingToken());
        }
    }

    @Test
    void waiterIsWokenByTheReleaseMessageNotByItsPoll() throws Exception {
        RedisLockProvider[] clients = {newRedisClient(), newRedisClient()};
        DefaultLockTemplate[] templates = {template(clients[0]), template(clients[1])};
        String key = key("handover");
        int handOvers = 20;
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            LockHandle held = templates[0].acquire(key, Duration.ZERO);
            long lastToken = held.fencingToken();
            long start = System.nanoTime();
            for (int i = 1; i <= handOvers; i++) {
                int waiter = i % 2;
                CompletableFuture<LockHandle> next = CompletableFuture.supplyAsync(
                        () -> templates[waiter].acquire(key, Duration.ofSeconds(10)), executor);
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                        .until(() -> clients[waiter].waitingKeys() == 1);
                Thread.sleep(20); // hold time
                held.close();
                held = next.get(10, TimeUnit.SECONDS);
                assertThat(held.fencingToken()).isGreaterThan(lastToken);
                lastToken = held.fencingToken();
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            held.close();
            // woken only by polls (750-1000 ms each), 20 hand-overs would take 15 s or more
            assertThat(tookMillis).as("milliseconds for %d hand-overs", handOvers).isLessThan(5000);
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void annotatedMethodOfAFrozenHolderThrowsLockLostAndTheLossIsReported() {
        assumeTrue(server.supportsFaults(), "server supports faults");
        RedisLockProvider holder = newRedisClient();
        FrozenService service = proxy(new FrozenService(), holder);
        String key = key("frozen-annotated");

        assertThatThrownBy(() -> service.freeze(key, holder))
                .isInstanceOfSatisfying(LockLostException.class, ex -> assertThat(ex.key()).isEqualTo(key));

        // the watchdog never ran, so only the release can have found the lock gone
        assertThat(lossEvents(holder)).singleElement().satisfies(event -> assertThat(event.key()).isEqualTo(key));
        assertFree(newClient(), key);
    }

    /** Plays a holder frozen past its 600 ms lease while its annotated method runs. */
    public static class FrozenService {

        @DistributedLock(key = "#p0", waitTime = "5s", leaseTime = "600ms")
        public String freeze(String key, RedisLockProvider holder) {
            RedisLockHandle handle = (RedisLockHandle) LockContext.current().orElseThrow();
            holder.suspendWatchdogForTests();
            await().atMost(Duration.ofSeconds(5)).until(() -> !handle.isValid());
            await().atMost(Duration.ofSeconds(5)).until(() -> !admin.hasKey(handle.lockKey()));
            return "thawed " + key;
        }
    }
}
