package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockMode;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.redis.RedisLockClients.Client;
import dev.ringlock.testsupport.FaultProxy.Direction;
import dev.ringlock.testsupport.FaultProxy;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.contract.FencedResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis locks when the network between one client and the server fails, through a {@link FaultProxy} on
 * loopback: the connection black-holed (nothing answers, nothing resets), delayed, or dropped, or only the
 * server's answers lost, so that the client sends a command again that the server has already run. The other
 * clients talk to the server directly. A {@link FencedResource} stands for the data the locks guard.
 */
@Tag("fault")
class RedisNetworkFaultTests extends AbstractRedisFaultTests {

    private static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-network");

    private static LettuceConnectionFactory adminFactory;
    private static StringRedisTemplate admin;

    private FaultProxy proxy;

    RedisNetworkFaultTests() {
        super(KEYSPACE);
    }

    @BeforeAll
    static void connectAdmin() {
        adminFactory = TestClients.redis(redis.host(), redis.port());
        admin = new StringRedisTemplate(adminFactory);
    }

    @AfterAll
    static void closeAdmin() {
        if (adminFactory != null) {
            adminFactory.destroy();
        }
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start(redis.host(), redis.port());
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    /** A client behind the fault proxy. */
    private Client proxied() {
        return clients.connect(proxy.host(), proxy.port());
    }

    @Test
    void blackHoledHolderLosesItsLeaseAndItsLateWriteIsRefused() throws Exception {
        String key = key("black-holed-holder");
        FencedResource resource = new FencedResource();
        Client holder = proxied();
        Client other = client();
        LockHandle old = holder.template().acquire(key, Duration.ZERO);
        assertThat(resource.write(old.fencingToken(), "holder")).isTrue();

        long blackHoledAt = System.nanoTime();
        proxy.blackHole();

        await().atMost(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).multipliedBy(2)).until(() -> !holder.losses().isEmpty());
        assertThat(old.isValid()).isFalse();
        assertThat(holder.losses().get(0).event().fencingToken()).isEqualTo(old.fencingToken());
        long lostAfterMillis = TimeUnit.NANOSECONDS.toMillis(holder.losses().get(0).atNanos() - blackHoledAt);
        // renewed at most one period before the black hole, so its lease ran at least two periods past it
        assertThat(lostAfterMillis).as("ms from the black hole to the loss")
                .isGreaterThanOrEqualTo(RENEWAL_PERIOD.multipliedBy(2).toMillis() - 50)
                .isLessThanOrEqualTo(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).toMillis());

        // The server let the lease run out: another client takes the lock, with a larger token.
        try (LockHandle next = other.template().acquire(key, LEASE.plus(SLACK))) {
            assertThat(next.fencingToken()).isGreaterThan(old.fencingToken());
            assertThat(resource.write(next.fencingToken(), "next holder")).isTrue();
            assertThat(resource.write(old.fencingToken(), "holder")).as("the old holder's late write").isFalse();

            long closing = System.nanoTime();
            old.close(); // its answer never comes: bounded, and it must not release the new holder's lock
            assertThat(System.nanoTime() - closing).as("nanos to close behind the black hole")
                    .isLessThanOrEqualTo(RedisLockProvider.MIN_REPLY_WAIT.plus(SLACK).toNanos());
            proxy.heal();
            assertThat(next.isValid()).isTrue();
            assertThat(client().template().tryAcquire(key, Duration.ZERO)).isEmpty();
        }
        assertThat(holder.losses()).as("one loss event per lost handle").hasSize(1);
    }

    @Test
    void waitersBehindABlackHoleEndWithLockNotAcquiredInTheirWaitTimeAndWorkAfterwards() throws Exception {
        String heldKey = key("held");
        String freeKey = key("free");
        Client holder = client();
        Client blackHoled = proxied();
        LockHandle held = holder.template().acquire(heldKey, Duration.ZERO);
        proxy.blackHole();

        List<CompletableFuture<Long>> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = i % 2 == 0 ? heldKey : freeKey; // a free key cannot be had behind the black hole either
            Duration wait = i < 4 ? WAIT : Duration.ZERO;
            waits.add(CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try (LockHandle ignored = blackHoled.template().acquire(key, wait)) {
                    throw new AssertionError("acquired '" + key + "' behind a black hole");
                }
                catch (LockNotAcquiredException ex) {
                    assertThat(ex.key()).isEqualTo(key);
                    assertThat(ex).hasCauseInstanceOf(LockBackendException.class);
                    return System.nanoTime() - start;
                }
            }, executor));
        }
        for (CompletableFuture<Long> wait : waits) {
            assertThat(wait.get(30, TimeUnit.SECONDS)).as("nanos until a black-holed waiter gave up")
                    .isLessThanOrEqualTo(FAILED_WAIT_BOUND.toNanos());
        }
        assertThat(blackHoled.provider().waitingKeys()).isZero();

        proxy.heal();
        held.close();
        // the client reconnects by itself and locks again
        LockHandle after = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> blackHoled.template().acquire(heldKey, Duration.ofSeconds(2)), handle -> true);
        try {
            assertThat(after.fencingToken()).isGreaterThan(held.fencingToken());
        }
        finally {
            after.close();
        }
        assertThat(client().template().tryAcquire(freeKey, Duration.ZERO)).as("nothing left held on the free key")
                .hasValueSatisfying(LockHandle::close);
    }

    @Test
    void delayBelowTheRenewalPeriodKeepsTheLockValid() throws Exception {
        String key = key("delayed");
        Client holder = proxied();
        Client other = client();
        proxy.delay(Direction.TO_SERVER, Duration.ofMillis(100));
        proxy.delay(Direction.TO_CLIENT, Duration.ofMillis(100));
        LockHandle handle = holder.template().acquire(key, Duration.ofSeconds(5));
        try {
            // for three leases no loss: renewals with a 200 ms round trip keep the lease (a renewal that a starved
            // machine answers late may leave the handle untrusted for a moment, not lost)
            await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(3).plus(SLACK))
                    .until(() -> holder.losses().isEmpty());
            await().atMost(LEASE).until(handle::isValid);
            assertThat(other.template().tryAcquire(key, Duration.ZERO)).isEmpty();
            assertThat(holder.losses()).isEmpty();
        }
        finally {
            handle.close();
        }
        // a waiter behind the delay still gets the lock when it is released, in its wait time
        LockHandle otherHandle = other.template().acquire(key, Duration.ZERO);
        CompletableFuture<LockHandle> delayedWaiter = CompletableFuture.supplyAsync(
                () -> holder.template().acquire(key, Duration.ofSeconds(5)), executor);
        await().atMost(Duration.ofSeconds(5)).until(() -> holder.provider().waitingKeys() == 1);
        otherHandle.close();
        try (LockHandle next = delayedWaiter.get(10, TimeUnit.SECONDS)) {
            assertThat(next.fencingToken()).isGreaterThan(otherHandle.fencingToken());
        }
    }

    @Test
    void anAcquireWhoseAnswerIsLostToADroppedConnectionStillGetsTheLock() throws Exception {
        String key = key("dropped-answer");
        Client holder = proxied();
        String lockKey = KEYSPACE.lockKey(key);
        // answers take 1 s to come back: the acquire runs on the server long before its answer arrives
        proxy.delay(Direction.TO_CLIENT, Duration.ofSeconds(1));
        CompletableFuture<LockHandle> acquire = CompletableFuture.supplyAsync(
                () -> holder.template().acquire(key, Duration.ofSeconds(10)), executor);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> admin.hasKey(lockKey));
        long firstToken = Long.parseLong(admin.opsForValue().get(KEYSPACE.fenceKey(lockKey)));
        proxy.delay(Direction.TO_CLIENT, Duration.ZERO);
        proxy.drop();

        // Lettuce sends the unanswered script again on the new connection, and the lock is already the caller's:
        // it gets the lock its first run took, instead of waiting for that lock's lease to run out
        try (LockHandle handle = acquire.get(20, TimeUnit.SECONDS)) {
            assertThat(handle.fencingToken()).as("the first run's token").isEqualTo(firstToken);
            assertThat(admin.opsForValue().get(lockKey)).isEqualTo(((RedisLockHandle) handle).owner());
            await().atMost(Duration.ofSeconds(5)).until(handle::isValid); // and its lease is renewed
            assertThat(holder.losses()).isEmpty();
        }
        assertThat(admin.hasKey(lockKey)).as("released").isFalse();
    }

    @Test
    void aReadAcquireWhoseAnswerIsLostToADroppedConnectionStillGetsTheLock() throws Exception {
        String key = key("dropped-read-answer");
        Client holder = proxied();
        String lockKey = KEYSPACE.lockKey(key);
        proxy.delay(Direction.TO_CLIENT, Duration.ofSeconds(1));
        CompletableFuture<LockHandle> acquire = CompletableFuture.supplyAsync(
                () -> holder.template().tryAcquireRead(key, Duration.ofSeconds(10)).orElseThrow(), executor);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> admin.hasKey(lockKey));
        long firstToken = Long.parseLong(admin.opsForValue().get(KEYSPACE.fenceKey(lockKey)));
        proxy.delay(Direction.TO_CLIENT, Duration.ZERO);
        proxy.drop();

        // the resent script finds the caller among the readers and answers with the first run's token
        try (LockHandle handle = acquire.get(20, TimeUnit.SECONDS)) {
            assertThat(handle.fencingToken()).as("the first run's token").isEqualTo(firstToken);
            assertThat(admin.opsForZSet().range(KEYSPACE.holdersKey(lockKey), 0, -1)).as("readers")
                    .containsExactly(((RedisLockHandle) handle).owner());
            await().atMost(Duration.ofSeconds(5)).until(handle::isValid);
            assertThat(holder.losses()).isEmpty();
        }
        assertThat(admin.hasKey(lockKey)).as("released").isFalse();
    }

    @Test
    void droppedConnectionsReconnectAndTheLeaseSurvives() throws Exception {
        String key = key("dropped");
        Client holder = proxied();
        Client other = client();
        LockHandle handle = holder.template().acquire(key, Duration.ZERO);
        try {
            for (int i = 0; i < 5; i++) {
                int before = proxy.openConnections();
                proxy.drop();
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() >= before);
                assertThat(holder.losses()).isEmpty();
            }
            // for a full lease after the last drop the lease is still renewed, and the handle trusts it
            await().during(LEASE).atMost(LEASE.plus(SLACK)).until(() -> holder.losses().isEmpty());
            await().atMost(LEASE).until(handle::isValid);
            assertThat(other.template().tryAcquire(key, Duration.ZERO)).isEmpty();
        }
        finally {
            handle.close();
        }
        assertThat(admin.hasKey(KEYSPACE.lockKey(key))).as("released").isFalse();
    }

    // ------------------------------------------------ a release whose answer is lost, sent again after a reconnect

    /**
     * A lease long enough that the releasing call is still waiting for its answer (as long as the lease is left)
     * when the resent release comes back, however slow the machine.
     */
    private static final Duration LONG_LEASE = Duration.ofSeconds(10);

    private static LockHandle acquire(Client client, String key, Duration wait, Duration hold, LockMode mode)
            throws InterruptedException {
        return client.provider().tryAcquire(new LockRequest(key, wait, LONG_LEASE, hold, mode, 1))
                .orElseThrow(() -> new AssertionError("lock '" + key + "' not acquired"));
    }

    /**
     * Runs the acquire and release scripts of {@code mode} once, so that the server has them cached: the release
     * whose answer a test loses must run at once, not be refused as an unknown hash (an answer lost as well).
     */
    private static void loadScripts(Client client, LockMode mode) throws InterruptedException {
        acquire(client, key("load-scripts"), Duration.ZERO, Duration.ZERO, mode).close();
    }

    private CompletableFuture<LockHandle> waitFor(Client client, String key) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return acquire(client, key, Duration.ofSeconds(30), Duration.ZERO, LockMode.WRITE);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }, executor);
    }

    /**
     * Closes {@code handle} with the server's answers to its client lost: the release reaches the server and runs,
     * and its caller goes on waiting for the answer.
     */
    private CompletableFuture<Void> closeWithItsAnswerLost(LockHandle handle) {
        proxy.blackHole(Direction.TO_CLIENT);
        return CompletableFuture.runAsync(handle::close, executor);
    }

    /**
     * Ends the lost answers: the proxy closes the connection that lost them, the client reconnects and sends the
     * unanswered release again, and the close returns with the second run's answer. Asserts that this happened:
     * the client connected again and the server ran at least one more script.
     */
    private void healAndAwaitTheResentRelease(CompletableFuture<Void> closing) throws Exception {
        assertThat(closing).as("the close, still waiting for its lost answer").isNotDone();
        long scriptsBefore = RedisCommandStats.scriptCalls(admin);
        int connectionsBefore = proxy.acceptedConnections();
        proxy.heal();
        closing.get(20, TimeUnit.SECONDS); // returns normally: no LockBackendException for an answer never had
        assertThat(proxy.acceptedConnections()).as("connections after the heal").isGreaterThan(connectionsBefore);
        assertThat(RedisCommandStats.scriptCalls(admin)).as("scripts run, the resent release among them")
                .isGreaterThan(scriptsBefore);
    }

    @Test
    void aReleaseWhoseAnswerIsLostIsSentAgainWithoutAFalseLossAndTheWaiterHasTheLockAtOnce() throws Exception {
        String key = key("lost-release-answer");
        String lockKey = KEYSPACE.lockKey(key);
        Client holder = proxied();
        Client other = client();
        loadScripts(holder, LockMode.WRITE);
        LockHandle held = acquire(holder, key, Duration.ZERO, Duration.ZERO, LockMode.WRITE);
        CompletableFuture<LockHandle> waiter = waitFor(other, key);
        await().atMost(Duration.ofSeconds(5)).until(() -> other.provider().waitingKeys() == 1);

        CompletableFuture<Void> closing = closeWithItsAnswerLost(held);
        // the release ran on the server: the waiter in the other client has the lock while the holder still
        // waits for the answer, long before the holder's lease would have ended
        LockHandle next = waiter.get(10, TimeUnit.SECONDS);
        assertThat(admin.opsForValue().get(lockKey)).isEqualTo(((RedisLockHandle) next).owner());

        // the resent release finds the key the next holder's, and its marker says it was released by this owner
        healAndAwaitTheResentRelease(closing);
        assertThat(holder.losses()).as("losses reported for a lock that was released").isEmpty();
        assertThat(next.isValid()).isTrue();
        assertThat(admin.opsForValue().get(lockKey)).as("the next holder's lock, untouched by the resend")
                .isEqualTo(((RedisLockHandle) next).owner());
        next.close();
        assertThat(other.losses()).isEmpty();
        assertThat(admin.hasKey(lockKey)).as("released").isFalse();
    }

    @Test
    void aReadReleaseWhoseAnswerIsLostIsSentAgainWithoutAFalseLossAndTheWriterHasTheLockAtOnce() throws Exception {
        String key = key("lost-read-release-answer");
        String lockKey = KEYSPACE.lockKey(key);
        Client holder = proxied();
        Client other = client();
        loadScripts(holder, LockMode.READ);
        LockHandle reader = acquire(holder, key, Duration.ZERO, Duration.ZERO, LockMode.READ);
        CompletableFuture<LockHandle> writer = waitFor(other, key);
        await().atMost(Duration.ofSeconds(5)).until(() -> other.provider().waitingKeys() == 1);

        CompletableFuture<Void> closing = closeWithItsAnswerLost(reader);
        LockHandle next = writer.get(10, TimeUnit.SECONDS);
        assertThat(next.fencingToken()).isGreaterThan(reader.fencingToken());

        // the resent release finds the key a writer's, no reader among the holders, and its own marker
        healAndAwaitTheResentRelease(closing);
        assertThat(holder.losses()).as("losses reported for a READ lock that was released").isEmpty();
        assertThat(admin.opsForValue().get(lockKey)).isEqualTo(((RedisLockHandle) next).owner());
        next.close();
        assertThat(admin.hasKey(lockKey)).as("released").isFalse();
    }

    @Test
    void aReleaseKeptForItsHoldWhoseAnswerIsLostIsSentAgainAfterTheHoldWithoutAFalseLoss() throws Exception {
        String key = key("lost-hold-release-answer");
        String lockKey = KEYSPACE.lockKey(key);
        Client holder = proxied();
        Client other = client();
        loadScripts(holder, LockMode.WRITE);
        LockHandle held = acquire(holder, key, Duration.ZERO, Duration.ofMillis(500), LockMode.WRITE);
        CompletableFuture<LockHandle> waiter = waitFor(other, key);
        await().atMost(Duration.ofSeconds(5)).until(() -> other.provider().waitingKeys() == 1);

        // closed within its hold: the first run keeps the key until the hold ends, then it expires
        CompletableFuture<Void> closing = closeWithItsAnswerLost(held);
        LockHandle next = waiter.get(10, TimeUnit.SECONDS);
        assertThat(admin.opsForValue().get(lockKey)).isEqualTo(((RedisLockHandle) next).owner());

        // the resent release comes after the hold: the key is the next holder's, and the marker answers "kept"
        healAndAwaitTheResentRelease(closing);
        assertThat(holder.losses()).as("losses reported for a lock kept for its hold").isEmpty();
        assertThat(next.isValid()).isTrue();
        next.close();
    }

    @Test
    void aHandOverWhoseAnswerIsLostIsSentAgainAndTheLocalWaiterGetsTheLock() throws Exception {
        String key = key("lost-hand-over-answer");
        String lockKey = KEYSPACE.lockKey(key);
        Client holder = proxied();
        loadScripts(holder, LockMode.WRITE);
        LockHandle held = acquire(holder, key, Duration.ZERO, Duration.ZERO, LockMode.WRITE);
        CompletableFuture<LockHandle> waiter = waitFor(holder, key);
        await().atMost(Duration.ofSeconds(5)).until(() -> holder.provider().waitingKeys() == 1);

        // the holder hands the lock to its waiter in one script; its answer is lost
        CompletableFuture<Void> closing = closeWithItsAnswerLost(held);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> !((RedisLockHandle) held).owner().equals(admin.opsForValue().get(lockKey)));
        assertThat(admin.opsForValue().get(lockKey)).as("handed over on the server").isNotNull();
        assertThat(waiter).as("the waiter, told only by the lost answer").isNotDone();

        // the resent hand-over finds the key its waiter's already and answers as the first run did
        healAndAwaitTheResentRelease(closing);
        LockHandle next = waiter.get(10, TimeUnit.SECONDS);
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(admin.opsForValue().get(lockKey)).isEqualTo(((RedisLockHandle) next).owner());
        assertThat(holder.losses()).as("losses reported for a lock that was handed over").isEmpty();
        next.close();
        assertThat(admin.hasKey(lockKey)).as("released").isFalse();
    }
}
