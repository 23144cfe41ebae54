package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.redis.RedisLockClients.Client;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog renews the exclusive locks due in one sweep with one script call per batch
 * ({@code lock-renew-many.lua}), counted by the server, and each lock of a batch keeps its own outcome.
 */
class RedisBatchRenewalTests {

    /** Renewed every 2 s: the locks are all acquired well within one period, so their first renewals are a crowd. */
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final int LOCKS = 600;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static LettuceConnectionFactory adminFactory;
    private static StringRedisTemplate admin;
    private static ScheduledExecutorService scheduler;
    private static ExecutorService acquirers;

    private final RedisKeyspace keyspace = new RedisKeyspace("ringlock-batch-" + UUID.randomUUID());
    private RedisLockClients clients;

    @BeforeAll
    static void connectAdmin() {
        adminFactory = TestClients.redis(redis.host(), redis.port());
        admin = new StringRedisTemplate(adminFactory);
        scheduler = Executors.newScheduledThreadPool(1);
        acquirers = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void closeAdmin() {
        acquirers.shutdownNow();
        scheduler.shutdownNow();
        if (adminFactory != null) {
            adminFactory.destroy();
        }
    }

    @BeforeEach
    void createClients() {
        clients = new RedisLockClients(keyspace, scheduler, LEASE, Duration.ofSeconds(1));
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    void aRoundOfRenewalsRenewsEveryLeaseInFarFewerScriptCallsThanLocks() throws Exception {
        Client client = clients.connect(redis.host(), redis.port());
        List<RedisLockHandle> held = acquire(client, "many", LOCKS);
        Map<RedisLockHandle, Long> acquiredUntil = remainingUntil(held);
        long scriptsBefore = RedisCommandStats.scriptCalls(admin);

        await().atMost(LEASE).until(() -> held.stream().allMatch(handle -> renewedSince(handle, acquiredUntil)));

        long renewalScripts = RedisCommandStats.scriptCalls(admin) - scriptsBefore;
        assertThat(renewalScripts).as("script calls renewing %d locks", LOCKS).isPositive().isLessThan(LOCKS / 4);
        assertThat(client.losses()).isEmpty();
        held.forEach(LockHandle::close);
        assertThat(client.provider().watchedLeases()).isZero();
    }

    @Test
    void locksTakenOneByOneOverTimeAreRenewedTogether() throws Exception {
        Client client = clients.connect(redis.host(), redis.port());
        // one lock every 15 ms for 1.5 s: without a common grid each would keep a due time of its own, and the
        // sweeps (which take what is due within 20 ms) would renew them two at a time, some 50 script calls
        int count = 100;
        List<RedisLockHandle> held = new CopyOnWriteArrayList<>();
        CountDownLatch taken = new CountDownLatch(count);
        AtomicInteger next = new AtomicInteger();
        // a pace of its own: the shared scheduler runs the watchdog, which an acquisition must not hold up
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        pace.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i < count) {
                try {
                    held.add((RedisLockHandle) client.provider()
                            .tryAcquire(new LockRequest("spread-" + i, Duration.ZERO, LEASE)).orElseThrow());
                    taken.countDown();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }, 0, 15, TimeUnit.MILLISECONDS);
        try {
            assertThat(taken.await(10, TimeUnit.SECONDS)).as("all locks taken").isTrue();
        }
        finally {
            pace.shutdownNow();
        }
        Map<RedisLockHandle, Long> acquiredUntil = remainingUntil(held);
        long scriptsBefore = RedisCommandStats.scriptCalls(admin);

        await().atMost(LEASE).until(() -> held.stream().allMatch(handle -> renewedSince(handle, acquiredUntil)));

        // the renewal period is 2 s, its grid 200 ms: the 1.5 s of acquisitions fall on 8 or 9 steps of it
        assertThat(RedisCommandStats.scriptCalls(admin) - scriptsBefore).as("script calls renewing %d locks", count)
                .isPositive().isLessThan(20);
        assertThat(client.losses()).isEmpty();
        held.forEach(LockHandle::close);
    }

    @Test
    void aRenewalIsMovedBackOntoAGridOfATenthOfItsPeriodAtMostOneSecond() {
        long period = 2_000;
        long step = TimeUnit.MILLISECONDS.toNanos(200);
        for (long due : new long[] {0, 1, step - 1, step, 7 * step + 12_345, -3 * step - 1}) {
            long onGrid = RedisLeaseWatchdog.onGrid(due, period);
            assertThat(Math.floorMod(onGrid, step)).as("on the grid, for %d", due).isZero();
            assertThat(due - onGrid).as("moved back by less than a step, for %d", due).isBetween(0L, step - 1);
        }
        long thirtySecondsLeaseStep = TimeUnit.SECONDS.toNanos(1);
        assertThat(Math.floorMod(RedisLeaseWatchdog.onGrid(123_456_789_012L, 100_000), thirtySecondsLeaseStep))
                .as("a step of at most 1 s").isZero();
    }

    @Test
    void aLockTakenOverInTheMiddleOfABatchIsTheOnlyOneLost() throws Exception {
        Client client = clients.connect(redis.host(), redis.port());
        List<RedisLockHandle> held = acquire(client, "taken", 50);
        Map<RedisLockHandle, Long> acquiredUntil = remainingUntil(held);
        RedisLockHandle taken = held.get(25);
        admin.opsForValue().set(taken.lockKey(), "another-owner", LEASE.multipliedBy(10));
        long scriptsBefore = RedisCommandStats.scriptCalls(admin);

        await().atMost(LEASE).until(() -> !client.losses().isEmpty());
        List<RedisLockHandle> others = held.stream().filter(handle -> handle != taken).toList();
        await().atMost(LEASE).until(() -> others.stream().allMatch(handle -> renewedSince(handle, acquiredUntil)));

        assertThat(RedisCommandStats.scriptCalls(admin) - scriptsBefore).as("script calls renewing 50 locks")
                .isLessThan(50);
        assertThat(client.losses()).singleElement()
                .satisfies(loss -> assertThat(loss.event().key()).isEqualTo(taken.key()));
        assertThat(taken.isValid()).isFalse();
        assertThat(others).allMatch(LockHandle::isValid);
        assertThat(admin.opsForValue().get(taken.lockKey())).as("the other owner's lock").isEqualTo("another-owner");
        held.forEach(LockHandle::close);
    }

    @Test
    void aSuspendedWatchdogSendsNoRenewals() throws Exception {
        Client client = clients.connect(redis.host(), redis.port());
        List<RedisLockHandle> held = acquire(client, "frozen", 20);
        client.provider().suspendWatchdogForTests();
        long scriptsBefore = RedisCommandStats.scriptCalls(admin);

        // the lease runs out on the server: nobody renewed it
        await().atMost(LEASE.multipliedBy(2)).until(() -> held.stream().noneMatch(LockHandle::isValid)
                && !Boolean.TRUE.equals(admin.hasKey(held.get(0).lockKey())));

        assertThat(RedisCommandStats.scriptCalls(admin) - scriptsBefore).as("script calls while suspended").isZero();
        client.provider().resumeWatchdogForTests();
        // the first renewal after the thaw finds every lock gone
        await().atMost(LEASE).until(() -> client.losses().size() == held.size());
        held.forEach(LockHandle::close);
    }

    /** {@code count} exclusive locks, acquired by 4 threads at once. */
    private List<RedisLockHandle> acquire(Client client, String name, int count) throws Exception {
        List<java.util.concurrent.Future<RedisLockHandle>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = name + "-" + i;
            futures.add(acquirers.submit(() -> (RedisLockHandle) client.provider()
                    .tryAcquire(new LockRequest(key, Duration.ZERO, LEASE)).orElseThrow()));
        }
        List<RedisLockHandle> held = new ArrayList<>();
        for (var future : futures) {
            held.add(future.get());
        }
        return held;
    }

    /** When each handle's trusted lease ends, as now. */
    private static Map<RedisLockHandle, Long> remainingUntil(List<RedisLockHandle> held) {
        return held.stream().collect(Collectors.toMap(Function.identity(), RedisLockHandle::trustedUntilNanos));
    }

    /** The trusted lease moves forward only when the server confirmed a renewal. */
    private static boolean renewedSince(RedisLockHandle handle, Map<RedisLockHandle, Long> before) {
        return handle.trustedUntilNanos() - before.get(handle) > 0;
    }
}
