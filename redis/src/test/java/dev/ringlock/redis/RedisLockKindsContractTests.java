package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockMode;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.contract.AbstractLockKindsContractTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The lock kinds contract (READ/WRITE, permits, several keys) on {@link RedisLockProvider} against a real
 * {@code redis-server}, with the fixture of {@link RedisLockContractTests}, plus what only Redis has: the exclusive
 * lock meeting shared holders on its own key, per-holder leases (a frozen holder loses exactly its own permit),
 * the writer's flag lapsing, a resent acquire, and one Cluster slot for all keys of a lock.
 */
class RedisLockKindsContractTests extends AbstractLockKindsContractTests {

    @RegisterExtension
    @Order(1)
    static final RedisServerExtension redis = new RedisServerExtension();

    @RegisterExtension
    @Order(2)
    static final RedisContractClients clients = new RedisContractClients(redis);

    private static StringRedisTemplate admin;
    private static LettuceConnectionFactory scriptsFactory;
    private static BoundedScripts scripts;
    private static ScheduledExecutorService scheduler;
    private static RedisSharedLocks shared;

    @BeforeAll
    static void connect() {
        admin = clients.admin();
        scriptsFactory = TestClients.redis(redis.host(), redis.port());
        scripts = new BoundedScripts(scriptsFactory);
        scripts.connect();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        shared = new RedisSharedLocks(RedisContractClients.KEYSPACE, scripts, scheduler);
    }

    @AfterAll
    static void disconnect() {
        scripts.close();
        scriptsFactory.destroy();
        scheduler.shutdownNow();
    }

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }

    private RedisLockProvider newRedisClient() {
        return (RedisLockProvider) newClient();
    }

    private static String lockKey(String key) {
        return RedisContractClients.KEYSPACE.lockKey(key);
    }

    // ----------------------------------------------------------------- Redis only

    @Test
    void theExclusiveLockWaitsForReadersAndEntersWhenTheyLeaveWithALargerToken() throws Exception {
        String key = key("mutex-meets-readers");
        LockHandle first = template(newClient()).tryAcquireRead(key, Duration.ZERO).orElseThrow();
        LockHandle second = template(newClient()).tryAcquireRead(key, Duration.ZERO).orElseThrow();
        assertThat(admin.opsForValue().get(lockKey(key))).as("the lock key while readers hold it").isEqualTo("read");
        DefaultLockTemplate writers = template(newClient());
        CompletableFuture<LockHandle> writer = CompletableFuture.supplyAsync(
                () -> writers.tryAcquire(key, Duration.ofSeconds(30)).orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.hasKey(
                RedisContractClients.KEYSPACE.writerWaitingKey(lockKey(key))));
        first.close();
        assertThat(second.isValid()).isTrue();
        assertThat(writer).as("writer while a reader still holds the key").isNotDone();
        second.close();
        try (LockHandle handle = writer.get(30, TimeUnit.SECONDS)) {
            assertThat(handle.fencingToken()).isGreaterThan(first.fencingToken()).isGreaterThan(second.fencingToken());
            assertThat(template(newClient()).tryAcquireRead(key, Duration.ZERO)).as("a reader while the writer holds")
                    .isEmpty();
        }
    }

    @Test
    void aReaderThatComesWhileAWriterWaitsEntersAfterThatWriterEvenOnceTheKeyIsFree() throws Exception {
        String key = key("writer-first");
        LockHandle reader = template(newClient()).tryAcquireRead(key, Duration.ZERO).orElseThrow();
        DefaultLockTemplate writers = template(newClient());
        CompletableFuture<LockHandle> writer = CompletableFuture.supplyAsync(
                () -> writers.tryAcquire(key, Duration.ofSeconds(30)).orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.hasKey(
                RedisContractClients.KEYSPACE.writerWaitingKey(lockKey(key))));
        DefaultLockTemplate lateReaders = template(newClient());
        reader.close();
        // sent at once, usually before the writer has heard the release: on a free key the writer's flag still
        // counts; had the writer got in first, it holds the key
        assertThat(lateReaders.tryAcquireRead(key, Duration.ZERO)).as("a reader right after the last one left")
                .isEmpty();
        LockHandle handle = writer.get(30, TimeUnit.SECONDS);
        assertThat(handle.fencingToken()).isGreaterThan(reader.fencingToken());
        handle.close();
        try (LockHandle next = lateReaders.tryAcquireRead(key, Duration.ZERO)
                .orElseThrow(() -> new AssertionError("a reader right after the writer left"))) {
            assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
        }
    }

    @Test
    void aWriterThatGaveUpNoLongerKeepsReadersApart() {
        String key = key("writer-gave-up");
        LockHandle first = template(newClient()).tryAcquireRead(key, Duration.ZERO).orElseThrow();
        try {
            assertThat(template(newClient()).tryAcquire(key, Duration.ofMillis(300))).isEmpty();
            DefaultLockTemplate readers = template(newClient());
            // the writer's flag lapses two poll intervals after its last attempt at the latest
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Optional<LockHandle> second = readers.tryAcquireRead(key, Duration.ZERO);
                second.ifPresent(LockHandle::close);
                assertThat(second).as("a second reader").isPresent();
            });
        }
        finally {
            first.close();
        }
    }

    @Test
    void mismatchedKindsAreRefusedNamingTheKeyAndBothCounts() {
        String permitKey = key("permits-held");
        DefaultLockTemplate template = template(newClient());
        try (LockHandle permit = template.tryAcquirePermit(permitKey, 3, Duration.ZERO).orElseThrow()) {
            assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquire(permitKey, Duration.ZERO))
                    .withMessageContaining("'" + permitKey + "'").withMessageContaining("redis")
                    .withMessageContaining("in use with 3 permit(s) and was asked for with 1");
            assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquireRead(permitKey, Duration.ZERO))
                    .withMessageContaining("'" + permitKey + "'")
                    .withMessageContaining("in use with 3 permit(s) and was asked for with 1");
        }
        String readKey = key("read-held");
        try (LockHandle reader = template.tryAcquireRead(readKey, Duration.ZERO).orElseThrow()) {
            assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquirePermit(readKey, 2, Duration.ZERO))
                    .withMessageContaining("'" + readKey + "'")
                    .withMessageContaining("in use with 1 permit(s) and was asked for with 2");
        }
        String exclusiveKey = key("exclusive-held");
        try (LockHandle exclusive = template.tryAcquire(exclusiveKey, Duration.ZERO).orElseThrow()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> template.tryAcquirePermit(exclusiveKey, 2, Duration.ZERO))
                    .withMessageContaining("'" + exclusiveKey + "'")
                    .withMessageContaining("in use with 1 permit(s) and was asked for with 2");
            assertThat(template.tryAcquireRead(exclusiveKey, Duration.ZERO)).as("a reader while a writer holds")
                    .isEmpty();
        }
    }


    @Test
    void aFrozenPermitHolderLosesExactlyItsOwnPermitWhenItsLeaseEnds() throws Exception {
        String key = key("frozen-permit");
        RedisLockProvider frozenClient = newRedisClient();
        DefaultLockTemplate shortLease = new DefaultLockTemplate(frozenClient, Duration.ofMillis(1500),
                LockLostPolicy.THROW);
        DefaultLockTemplate others = template(newClient());
        LockHandle frozen = shortLease.tryAcquirePermit(key, 2, Duration.ZERO).orElseThrow();
        try (LockHandle healthy = others.tryAcquirePermit(key, 2, Duration.ZERO).orElseThrow()) {
            frozenClient.suspendWatchdogForTests();
            // never earlier: while the frozen holder still trusts its lease, its permit is taken
            Optional<LockHandle> early = others.tryAcquirePermit(key, 2, Duration.ZERO);
            early.ifPresent(LockHandle::close);
            assertThat(frozen.isValid()).as("frozen holder's lease still running").isTrue();
            assertThat(early).as("a third holder while both leases run").isEmpty();

            try (LockHandle third = others.tryAcquirePermit(key, 2, Duration.ofSeconds(10)).orElseThrow()) {
                assertThat(frozen.isValid()).as("frozen holder once its permit was taken").isFalse();
                assertThat(third.fencingToken()).isGreaterThan(frozen.fencingToken())
                        .isGreaterThan(healthy.fencingToken());
                assertThat(healthy.isValid()).as("the other holder keeps its permit").isTrue();
                assertThat(lossEvents(frozenClient)).as("no renewal ran yet, so nobody told the holder").isEmpty();

                frozenClient.resumeWatchdogForTests();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lossEvents(frozenClient))
                        .singleElement().satisfies(event -> {
                            assertThat(event.key()).isEqualTo(key);
                            assertThat(event.fencingToken()).isEqualTo(frozen.fencingToken());
                            assertThat(event.backend()).isEqualTo("redis");
                        }));
                frozen.close(); // frees nothing: its permit is the third holder's now
                assertThat(others.tryAcquirePermit(key, 2, Duration.ZERO)).as("a fourth holder").isEmpty();
                assertThat(healthy.isValid()).isTrue();
                assertThat(third.isValid()).isTrue();
            }
        }
        finally {
            frozen.close();
        }
    }

    @Test
    void aFrozenReaderSeesItsLeaseRunOutAndAWriterGetsIn() throws Exception {
        String key = key("frozen-reader");
        RedisLockProvider frozenClient = newRedisClient();
        DefaultLockTemplate shortLease = new DefaultLockTemplate(frozenClient, Duration.ofMillis(600),
                LockLostPolicy.THROW);
        LockHandle frozen = shortLease.tryAcquireRead(key, Duration.ZERO).orElseThrow();
        try {
            frozenClient.suspendWatchdogForTests();
            await().atMost(Duration.ofSeconds(3)).until(() -> !frozen.isValid());
            try (LockHandle writer = template(newClient()).tryAcquire(key, Duration.ofSeconds(10)).orElseThrow()) {
                assertThat(writer.fencingToken()).isGreaterThan(frozen.fencingToken());
                frozenClient.resumeWatchdogForTests();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lossEvents(frozenClient))
                        .singleElement().satisfies(event -> {
                            assertThat(event.key()).isEqualTo(key);
                            assertThat(event.fencingToken()).isEqualTo(frozen.fencingToken());
                        }));
                frozen.close(); // must not touch the writer's lock
                assertThat(writer.isValid()).isTrue();
                assertHeldElsewhere(newClient(), key);
            }
        }
        finally {
            frozen.close();
        }
    }

    @Test
    void aResentAcquireAnswersAsTheFirstRunDid() throws Exception {
        for (LockRequest request : List.of(
                new LockRequest(key("resent-read"), Duration.ZERO, Duration.ofSeconds(5), Duration.ZERO,
                        LockMode.READ, 1),
                new LockRequest(key("resent-permit"), Duration.ZERO, Duration.ofSeconds(5), Duration.ZERO,
                        LockMode.WRITE, 2))) {
            String lockKey = lockKey(request.key());
            List<Long> first = acquire(lockKey, "resent-owner:1", request);
            List<Long> again = acquire(lockKey, "resent-owner:1", request);
            assertThat(first.get(0)).as("acquired").isEqualTo(1L);
            assertThat(again).as("the same request run again").isEqualTo(first);
            assertThat(admin.opsForZSet().size(RedisContractClients.KEYSPACE.holdersKey(lockKey))).as("holders")
                    .isEqualTo(1);
            long token = first.get(1);
            assertThat(shared.callRelease(lockKey, "resent-owner:1", token, Duration.ofSeconds(5))).isEqualTo(1L);
            assertThat(shared.callRelease(lockKey, "resent-owner:1", token, Duration.ofSeconds(5)))
                    .as("the same release run again").isEqualTo(1L);
            assertThat(shared.callRelease(lockKey, "resent-owner:1", token + 1, Duration.ofSeconds(5)))
                    .as("a release with a token the owner never held").isEqualTo(0L);
            assertThat(admin.getExpire(RedisContractClients.KEYSPACE.releasedKey(lockKey, "resent-owner:1"),
                    TimeUnit.MILLISECONDS)).as("the release marker lives as long as the release waits")
                    .isPositive().isLessThanOrEqualTo(5001);
            assertThat(admin.hasKey(lockKey)).as("lock key after its last holder left").isFalse();
            assertThat(admin.hasKey(RedisContractClients.KEYSPACE.holdersKey(lockKey))).as("holders left behind")
                    .isFalse();
            assertThat(admin.hasKey(RedisContractClients.KEYSPACE.tokensKey(lockKey))).as("tokens left behind")
                    .isFalse();
            assertFree(newClient(), request.key());
        }
    }

    private static List<Long> acquire(String lockKey, String owner, LockRequest request) throws Exception {
        return RedisLockProvider.checkedReply(shared.callAcquire(lockKey, owner, request, 5000, 0,
                Duration.ofSeconds(5)), request.key(), "test");
    }

    @Test
    void everyKeyOfALockOfAnyKindHashesToOneSlot() {
        RedisLockProvider provider = newRedisClient();
        for (String key : List.of("order:42", "}a{b}%")) {
            String lockKey = lockKey(key);
            List<String> keys = new ArrayList<>(provider.acquireKeys(lockKey));
            keys.addAll(shared.acquireKeys(lockKey));
            keys.addAll(shared.releaseKeys(lockKey, provider.newOwner()));
            keys.addAll(shared.renewKeys(lockKey));
            int slot = SlotHash.getSlot(lockKey);
            assertThat(keys).as("keys of %s", lockKey).allSatisfy(k -> assertThat(SlotHash.getSlot(k)).isEqualTo(slot));
            assertThat(keys).contains(RedisContractClients.KEYSPACE.holdersKey(lockKey),
                    RedisContractClients.KEYSPACE.tokensKey(lockKey),
                    RedisContractClients.KEYSPACE.writerWaitingKey(lockKey));
            assertThat(keys).anySatisfy(k -> assertThat(k).startsWith(lockKey + ":released:"));
        }
    }
}
