package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipRevokedEvent.Reason;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.contract.AbstractLeaderElectionContractTests;
import dev.ringlock.testsupport.contract.LeaderElectionFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader election contract on {@link RedisLeaderElectionProvider} against a real {@code redis-server}, each
 * client on a {@link LettuceConnectionFactory} of its own, plus what only Redis has: a lease that a deleted key
 * revokes, and terms floored by the server's {@code TIME}.
 */
class RedisLeaderElectionContractTests extends AbstractLeaderElectionContractTests {

    /** Short, so that renewals run during the tests and a deleted key is noticed within the test's timeouts. */
    static final Duration LEASE_TIME = Duration.ofMillis(1500);

    /** Followers learn of a new leader at this pace; releases wake them at once. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static ScheduledExecutorService scheduler;
    private static LettuceConnectionFactory adminFactory;
    private static StringRedisTemplate admin;

    private final Map<LeaderElectionProvider, LettuceConnectionFactory> factories = new ConcurrentHashMap<>();

    @BeforeAll
    static void connect() {
        scheduler = Executors.newScheduledThreadPool(2);
        adminFactory = TestClients.redis(redis.host(), redis.port());
        admin = new StringRedisTemplate(adminFactory);
    }

    @AfterAll
    static void disconnect() {
        adminFactory.destroy();
        scheduler.shutdownNow();
    }

    private final LeaderElectionFixture fixture = new LeaderElectionFixture() {

        @Override
        public LeaderElectionProvider createClient() {
            LettuceConnectionFactory factory = TestClients.redis(redis.host(), redis.port());
            RedisLeaderElectionProvider provider = new RedisLeaderElectionProvider(factory,
                    RedisContractClients.KEYSPACE, scheduler, LEASE_TIME, POLL_INTERVAL);
            provider.afterPropertiesSet();
            factories.put(provider, factory);
            return provider;
        }

        @Override
        public void closeClient(LeaderElectionProvider client) throws Exception {
            ((RedisLeaderElectionProvider) client).destroy();
            factories.remove(client).destroy();
        }

        @Override
        public void assertNothingLeftBehind(LeaderElectionProvider client) {
            RedisLeaderElectionProvider provider = (RedisLeaderElectionProvider) client;
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(provider.keepsNothing()).as(provider.leftBehind()).isTrue());
        }
    };

    @Override
    protected LeaderElectionFixture fixture() {
        return fixture;
    }

    // ----------------------------------------------------------------- Redis only

    @Test
    void aLeaderWhoseKeyIsDeletedIsRevokedAndAnotherMemberLeadsWithALargerTerm() {
        String group = group("deleted");
        List<Member> all = List.of(member("member-1"), member("member-2"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, fixture.electionTimeout(), all);
        long term = leader.in(group).term();

        admin.delete(RedisContractClients.KEYSPACE.leaderKey(group));

        await().atMost(fixture.electionTimeout()).until(() -> log(group).stream()
                .anyMatch(e -> !e.grant() && e.member().equals(leader.id()) && e.reason() == Reason.LEASE_LOST));
        Member next = awaitLeader(group, fixture.electionTimeout(), all);
        // no one-leader-at-a-time check: a key deleted behind the leader's back is trusted by it until its next
        // renewal, as a lock whose key a restart lost (see RedisLockProvider); the term still fences it
        assertThat(next.in(group).term()).isGreaterThan(term);
    }

    @Test
    void aFollowerTriesAgainWhenTheHoldersLeaseEndsRatherThanAtItsNextPoll() throws Exception {
        String group = group("dead-holder");
        // a holder that died: nobody renews its key, and no release is announced when it expires
        admin.opsForValue().set(RedisContractClients.KEYSPACE.leaderKey(group), "1:gone", Duration.ofMillis(300));
        LettuceConnectionFactory factory = TestClients.redis(redis.host(), redis.port());
        RedisLeaderElectionProvider provider = new RedisLeaderElectionProvider(factory, RedisContractClients.KEYSPACE,
                scheduler, LEASE_TIME, Duration.ofSeconds(30));
        provider.afterPropertiesSet();
        try {
            Leadership leadership = provider.join(group, "member-1");
            // far sooner than the 30 s poll interval: the first try read the lease left and tried again at its end
            await().atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
            leadership.close();
        }
        finally {
            provider.destroy();
            factory.destroy();
        }
    }

    @Test
    void termsKeepIncreasingAfterTheServerLostItsData() {
        String group = group("flushed");
        Member member = member("member-1");
        Leadership leadership = member.in(group);
        awaitLeader(group, fixture.electionTimeout(), List.of(member));
        long first = leadership.term();

        admin.execute((org.springframework.data.redis.core.RedisCallback<Object>) connection -> {
            connection.serverCommands().flushAll();
            return null;
        });

        await().atMost(fixture.electionTimeout()).until(() -> leadership.isLeader() && leadership.term() > first);
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(2);
    }
}
