package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.leader.Leadership;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.RedisClientInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One {@link RedisReleaseChannel} shared by a {@link RedisLockProvider} and a {@link RedisLeaderElectionProvider}
 * against a real {@code redis-server}: one subscription connection for both (counted with {@code CLIENT LIST}, by
 * client name), and each still woken by the releases it waits for. Poll intervals are a minute, so that only a
 * release message can wake a waiter or a candidate within the test.
 */
class RedisReleaseChannelTests {

    private static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-release-channel");
    private static final Duration NO_POLL = Duration.ofMinutes(1);
    private static final Duration LEASE = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> closers = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private StringRedisTemplate admin;

    @BeforeEach
    void start() {
        scheduler = Executors.newScheduledThreadPool(1);
        admin = new StringRedisTemplate(factory("ringlock-admin"));
    }

    @AfterEach
    void stop() throws Exception {
        // newest first: providers before their channel, channels before their connection factory
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aSharedChannelIsOneSubscriptionForLocksAndLeaderElectionAndWakesBoth() throws Exception {
        LettuceConnectionFactory shared = factory("shared");
        RedisReleaseChannel channel = new RedisReleaseChannel(shared, KEYSPACE);
        channel.afterPropertiesSet();
        closers.add(channel::destroy);
        RedisLockProvider locks = new RedisLockProvider(shared, channel, scheduler, event -> {
        }, NO_POLL);
        locks.afterPropertiesSet();
        closers.add(locks::destroy);
        RedisLeaderElectionProvider election = new RedisLeaderElectionProvider(shared, channel, scheduler, LEASE,
                NO_POLL);
        election.afterPropertiesSet();
        closers.add(election::destroy);
        assertThat(channel.subscribers()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions("shared") == 1);

        // the other side: a lock holder and a leader with subscriptions of their own, one each per provider
        LettuceConnectionFactory own = factory("own");
        RedisLockProvider otherLocks = new RedisLockProvider(own, KEYSPACE, scheduler, event -> {
        }, NO_POLL);
        otherLocks.afterPropertiesSet();
        closers.add(otherLocks::destroy);
        RedisLeaderElectionProvider otherElection = new RedisLeaderElectionProvider(own, KEYSPACE, scheduler, LEASE,
                NO_POLL);
        otherElection.afterPropertiesSet();
        closers.add(otherElection::destroy);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions("own") == 2);
        assertThat(subscriptions("shared")).isEqualTo(1);

        // a lock waiter on the shared channel is woken by the other side's release
        String key = "lock-" + UUID.randomUUID();
        LockHandle held = new DefaultLockTemplate(otherLocks, LEASE, LockLostPolicy.THROW).acquire(key, Duration.ZERO);
        CompletableFuture<LockHandle> waiter = CompletableFuture.supplyAsync(() ->
                new DefaultLockTemplate(locks, LEASE, LockLostPolicy.THROW).acquire(key, Duration.ofSeconds(20)));
        await().atMost(Duration.ofSeconds(10)).until(() -> locks.waitingKeys() == 1);
        held.close();
        try (LockHandle next = waiter.get(20, TimeUnit.SECONDS)) {
            assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        }

        // a candidate on the shared channel is woken by the other side's leader closing
        String group = "group-" + UUID.randomUUID();
        Leadership leader = otherElection.join(group, "other");
        await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);
        Leadership candidate = election.join(group, "shared");
        await().atMost(Duration.ofSeconds(10)).until(() -> candidate.leader().filter("other"::equals).isPresent());
        leader.close();
        await().atMost(Duration.ofSeconds(10)).until(candidate::isLeader);
        assertThat(candidate.term()).isGreaterThan(leader.term());
        candidate.close();

        election.destroy();
        locks.destroy();
        assertThat(channel.subscribers()).as("subscribers left after both providers were destroyed").isZero();
        assertThat(subscriptions("shared")).as("the shared subscription outlives its users").isEqualTo(1);
    }

    private LettuceConnectionFactory factory(String clientName) {
        LettuceConnectionFactory factory = TestClients.redis(redis.host(), redis.port(),
                LettuceClientConfiguration.builder().clientName(clientName).build());
        closers.add(factory::destroy);
        return factory;
    }

    /** Connections named {@code clientName} subscribed to at least one channel. */
    private long subscriptions(String clientName) {
        List<RedisClientInfo> clients = admin.execute((RedisCallback<List<RedisClientInfo>>) connection ->
                connection.serverCommands().getClientList());
        return clients.stream()
                .filter(client -> clientName.equals(client.getName()))
                .filter(client -> client.getChannelSubscribtions() != null && client.getChannelSubscribtions() > 0)
                .count();
    }
}
