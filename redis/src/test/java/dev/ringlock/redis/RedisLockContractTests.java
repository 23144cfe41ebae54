package dev.ringlock.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.contract.AbstractLockContractTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lock contract on {@link RedisLockProvider} against a real {@code redis-server}, plus what only Redis
 * has: leases and their watchdog, release messages, and tokens that survive a restart that lost the data.
 * Its fixture, {@link RedisContractClients} (also {@link RedisDistributedLockInterceptorTests}'), gives each
 * client its own {@link LettuceConnectionFactory}, as a separate process would have.
 */
class RedisLockContractTests extends AbstractLockContractTests {

    @RegisterExtension
    @Order(1)
    static final RedisServerExtension redis = new RedisServerExtension();

    @RegisterExtension
    @Order(2)
    static final RedisContractClients clients = new RedisContractClients(redis);

    private static StringRedisTemplate admin;

    @BeforeAll
    static void connect() {
        admin = clients.admin();
    }

    @Override
    protected LockProviderFixture fixture() {
        return clients;
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
        assumeTrue(redis.server().supportsFaults(), "server supports faults");
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
        assumeTrue(redis.server().supportsFaults(), "server supports faults");
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
        String fenceKey = RedisContractClients.KEYSPACE.fenceKey(RedisContractClients.KEYSPACE.lockKey(key));
        assertThat(admin.hasKey(fenceKey)).isTrue();

        redis.server().restart();

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
}
