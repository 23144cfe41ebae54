package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.redis.RedisLockClients.Client;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.contract.LockLoad;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis locks under load: 2,000 distinct keys held at once by 4 clients while 50 waiters queue on one key,
 * with a 3 s lease that the one shared watchdog thread renews several times over. No lease is lost, no waiter
 * waits past its wait time, and afterwards the server holds no lock key and no more pub/sub subscriptions
 * than before.
 */
@Tag("load")
class RedisLockLoadTests {

    /** Renewed every second; long enough that a renewal delayed by a starved 2-core machine still comes in time. */
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration WAITER_WAIT = Duration.ofSeconds(20);
    private static final int CLIENTS = 4;
    private static final int KEYS_PER_CLIENT = 500;
    private static final int WAITERS = 50;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static LettuceConnectionFactory adminFactory;
    private static StringRedisTemplate admin;
    /** A plain Lettuce connection, for the server's own counts ({@code PUBSUB}). */
    private static RedisClient inspectorClient;
    private static StatefulRedisConnection<String, String> inspector;

    @BeforeAll
    static void connectAdmin() {
        adminFactory = TestClients.redis(redis.host(), redis.port());
        admin = new StringRedisTemplate(adminFactory);
        inspectorClient = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        inspector = inspectorClient.connect();
    }

    @AfterAll
    static void closeAdmin() {
        if (inspector != null) {
            inspector.close();
            inspectorClient.shutdown();
        }
        if (adminFactory != null) {
            adminFactory.destroy();
        }
    }

    @Test
    void twoThousandKeysHeldAtOnceAndFiftyWaitersOnOneKeyWithTheWatchdogRenewing() throws Exception {
        RedisKeyspace keyspace = new RedisKeyspace("ringlock-load-" + UUID.randomUUID());
        // one scheduler thread renews every lease, as Ringlock's own scheduler does
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        ExecutorService executor = Executors.newCachedThreadPool();
        try (RedisLockClients clients = new RedisLockClients(keyspace, scheduler, LEASE, Duration.ofSeconds(1))) {
            List<Client> all = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                all.add(clients.connect(redis.host(), redis.port()));
            }
            long subscriptionsBefore = subscribers(keyspace.releaseChannel());
            List<String> channelsBefore = channels();

            List<DefaultLockTemplate> templates = all.stream().map(Client::template).toList();

            // 2,000 keys, 500 from each client, acquired in parallel by the clients
            List<LockHandle> held = LockLoad.holdDistinctKeys(templates, KEYS_PER_CLIENT, executor,
                    Duration.ofSeconds(60));
            assertThat(held).hasSize(CLIENTS * KEYS_PER_CLIENT);

            // meanwhile 50 waiters queue on one hot key, spread over the clients, each holding it briefly
            LockHandle hot = templates.get(0).acquire("hot", Duration.ZERO);
            List<CompletableFuture<Long>> waiters = LockLoad.queueWaiters(templates, "hot", WAITERS, WAITER_WAIT, executor);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> all.stream().mapToInt(client -> client.provider().waitingKeys()).sum() == CLIENTS);
            hot.close();
            LockLoad.assertEachGotTheLockInTime(waiters, WAITER_WAIT);

            // for three more leases no loss is reported: every lease is renewed before it runs out (a renewal
            // that a starved machine answers late may leave a handle untrusted for a moment, not lost)
            await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(5))
                    .until(() -> all.stream().allMatch(client -> client.losses().isEmpty()));
            await().atMost(LEASE).until(() -> held.stream().allMatch(LockHandle::isValid));
            assertThat(lockKeys(keyspace)).as("lock keys on the server").hasSize(CLIENTS * KEYS_PER_CLIENT);

            held.forEach(LockHandle::close);

            assertThat(lockKeys(keyspace)).as("lock keys left on the server").isEmpty();
            for (Client client : all) {
                assertThat(client.provider().watchedLeases()).as("leases still renewed").isZero();
                assertThat(client.provider().waitingKeys()).as("keys with local waiters").isZero();
            }
            assertThat(subscribers(keyspace.releaseChannel())).as("subscribers of the release channel")
                    .isEqualTo(subscriptionsBefore).isEqualTo(CLIENTS);
            assertThat(channels()).as("channels with subscribers").containsExactlyInAnyOrderElementsOf(channelsBefore);
        }
        finally {
            executor.shutdownNow();
            scheduler.shutdownNow();
        }
    }

    /** The lock keys (not fence keys or waiting flags) of the keyspace, counted on the server. */
    private static Set<String> lockKeys(RedisKeyspace keyspace) {
        Set<String> keys = new java.util.HashSet<>();
        try (var cursor = admin.scan(ScanOptions.scanOptions().match(keyspace.prefix() + ":lock:{*}").count(1000).build())) {
            cursor.forEachRemaining(keys::add);
        }
        return keys;
    }

    /** {@code PUBSUB NUMSUB channel}: the server's count of subscribers to {@code channel}. */
    private static long subscribers(String channel) {
        return inspector.sync().pubsubNumsub(channel).get(channel);
    }

    /** {@code PUBSUB CHANNELS}: the channels with at least one subscriber. */
    private static List<String> channels() {
        return inspector.sync().pubsubChannels();
    }
}
