package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipGrantedEvent;
import dev.ringlock.leader.LeadershipListener;
import dev.ringlock.leader.LeadershipRevokedEvent;
import dev.ringlock.leader.LeadershipRevokedEvent.Reason;
import dev.ringlock.testsupport.FaultProxy;
import dev.ringlock.testsupport.FaultProxy.Direction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redis leader election while the server or the network fails: the server killed and restarted without its data,
 * and the leader's connection black-holed by a {@link FaultProxy}. Each member is a
 * {@link RedisLeaderElectionProvider} on a connection factory of its own, as a separate process would have; every
 * grant and revoke goes to one outside log, with the {@link System#nanoTime()} it was told at.
 */
@Tag("fault")
class RedisLeaderElectionFaultTests extends AbstractRedisFaultTests {

    private static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-leader-fault");

    /** A grant or revoke as a member's listener was told of it; {@code deadlineNanos} is the term's at that time. */
    record Event(String member, boolean grant, long term, @Nullable Reason reason, long atNanos, long deadlineNanos,
            boolean leaderWhenTold) {
    }

    private final Queue<Event> log = new ConcurrentLinkedQueue<>();
    private final List<RedisLeaderElectionProvider> providers = new CopyOnWriteArrayList<>();
    private StringRedisTemplate admin;

    RedisLeaderElectionFaultTests() {
        super(KEYSPACE);
    }

    @BeforeEach
    void connectAdmin() {
        admin = new StringRedisTemplate(clients.connectionFactory(redis.host(), redis.port()));
    }

    @AfterEach
    void destroyProviders() throws Exception {
        for (RedisLeaderElectionProvider provider : providers) {
            provider.destroy();
        }
    }

    @Test
    void afterARestartThatLostTheDataTheNextLeaderHasALargerTermThanEveryTermBefore() {
        assumeTrue(redis.server().supportsFaults(), "the server can be killed and restarted");
        String group = key("restart");
        String leaderKey = KEYSPACE.leaderKey(group);
        List<Leadership> members = List.of(join(redis.host(), redis.port(), group, "member-1"),
                join(redis.host(), redis.port(), group, "member-2"));
        Leadership first = awaitLeader(members);
        // a second term before the restart, on the other member, so that "every term before" is more than one
        first.yieldLeadership();
        await().atMost(LEASE.plus(SLACK)).until(() -> grants().size() == 2 && leaderOf(members).isPresent());
        long highestBefore = grants().stream().mapToLong(Event::term).max().orElseThrow();
        String valueBefore = admin.opsForValue().get(leaderKey);
        assertThat(valueBefore).startsWith(highestBefore + ":");
        String marker = key("marker");
        admin.opsForValue().set(marker, "written before the restart");

        redis.server().kill();
        int eventsBeforeRestart = log.size(); // no grant can happen while the server is down
        redis.server().restart();

        // the restarted server has none of its data: not the marker, not the old term's leader key
        Boolean markerThere = await().atMost(SLACK).ignoreExceptions()
                .until(() -> admin.hasKey(marker), Objects::nonNull);
        assertThat(markerThere).as("marker written before the restart still there").isFalse();
        assertThat(admin.opsForValue().get(leaderKey)).isNotEqualTo(valueBefore);

        await().atMost(LEASE.multipliedBy(2).plus(SLACK))
                .until(() -> log.stream().skip(eventsBeforeRestart).anyMatch(Event::grant));
        Event next = log.stream().skip(eventsBeforeRestart).filter(Event::grant).findFirst().orElseThrow();
        assertThat(next.term()).as("first term after the restart").isGreaterThan(highestBefore);
        // the leader of the last term before is told its term is over, one way or the other
        Event lastBefore = grants().stream().filter(e -> e.term() == highestBefore).findFirst().orElseThrow();
        await().atMost(LEASE.plus(SLACK)).until(() -> log.stream().anyMatch(e -> !e.grant()
                && e.term() == highestBefore && e.member().equals(lastBefore.member()) && e.reason() == Reason.LEASE_LOST));
        await().atMost(LEASE.plus(SLACK)).until(() -> leaderOf(members).isPresent());
        assertTermsIncreaseInGrantOrder();
    }

    @Test
    void aBlackHoledLeaderIsRevokedAtItsDeadlineAndAnotherMemberLeadsWithALargerTerm() {
        String group = key("black-hole");
        try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            Leadership blackHoled = join(proxy.host(), proxy.port(), group, "behind-proxy");
            await().atMost(LEASE.plus(SLACK)).until(blackHoled::isLeader);
            long oldTerm = blackHoled.term();
            Leadership direct = join(redis.host(), redis.port(), group, "direct");
            await().atMost(LEASE.plus(SLACK)).until(() -> direct.leader().equals(Optional.of("behind-proxy")));

            proxy.blackHole();

            // no renewal is answered any more: the term ends at its deadline, without waiting for an answer
            await().atMost(LEASE.plus(SLACK)).until(() -> !blackHoled.isLeader());
            await().atMost(LEASE.plus(SLACK)).until(() -> revokeOf("behind-proxy", oldTerm).isPresent());
            Event revoke = revokeOf("behind-proxy", oldTerm).orElseThrow();
            assertThat(revoke.reason()).isEqualTo(Reason.LEASE_LOST);
            assertThat(revoke.leaderWhenTold()).isFalse();
            assertThat(revoke.atNanos() - revoke.deadlineNanos()).as("nanos from the term's deadline to its revoke")
                    .isNotNegative();
            assertThat(blackHoled.term()).isEqualTo(oldTerm);

            // the key the black-holed member renewed last ends with its lease: the direct member takes it
            await().atMost(LEASE.plus(SLACK)).until(() -> direct.isLeader());
            assertThat(direct.term()).isGreaterThan(oldTerm);

            proxy.heal();

            // reconnected, the first member is a follower that sees the new leader
            await().atMost(SLACK).until(() -> blackHoled.leader().equals(Optional.of("direct")));
            assertThat(blackHoled.isLeader()).isFalse();
            assertThat(direct.isLeader()).isTrue();
            assertThat(grants()).extracting(Event::member).containsExactly("behind-proxy", "direct");
            assertThat(admin.opsForValue().get(KEYSPACE.leaderKey(group))).isEqualTo(direct.term() + ":direct");
            assertTermsIncreaseInGrantOrder();
        }
    }

    @Test
    void aTryAnsweredAfterItsProviderWasDestroyedGivesBackTheKeyItTook() throws Exception {
        String group = key("destroyed");
        String leaderKey = KEYSPACE.leaderKey(group);
        Queue<String> released = new ConcurrentLinkedQueue<>();
        RedisReleaseChannel releases = new RedisReleaseChannel(clients.connectionFactory(redis.host(), redis.port()),
                KEYSPACE);
        releases.subscribe(released::add);
        releases.afterPropertiesSet();
        try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            RedisLeaderElectionProvider provider = new RedisLeaderElectionProvider(
                    clients.connectionFactory(proxy.host(), proxy.port()), KEYSPACE, scheduler, LEASE, POLL);
            provider.afterPropertiesSet();
            // answers come back half a second late: the first try takes the key long before its answer arrives
            proxy.delay(Direction.TO_CLIENT, Duration.ofMillis(500));
            Leadership late = provider.join(group, "late");
            await().atMost(SLACK).pollInterval(Duration.ofMillis(5)).until(() -> admin.hasKey(leaderKey));

            provider.destroy();

            assertThat(late.isLeader()).isFalse();
            assertThat(admin.hasKey(leaderKey)).as("leader key once destroy() returned").isFalse();
            // deleted by the release script, which announces it, not ended by its lease, which would not
            await().atMost(SLACK).until(() -> released.contains(leaderKey));
            assertThat(provider.keepsNothing()).as(provider.leftBehind()).isTrue();
        }
        finally {
            releases.destroy();
        }
    }

    /** A member on its own connection factory to {@code host}:{@code port}, its events going to the outside log. */
    private Leadership join(String host, int port, String group, String memberId) {
        RedisLeaderElectionProvider provider = new RedisLeaderElectionProvider(clients.connectionFactory(host, port),
                KEYSPACE, scheduler, LEASE, POLL);
        provider.afterPropertiesSet();
        providers.add(provider);
        RedisLeadership leadership = (RedisLeadership) provider.join(group, memberId);
        leadership.addListener(new LeadershipListener() {

            @Override
            public void granted(LeadershipGrantedEvent event) {
                log.add(new Event(memberId, true, event.term(), null, System.nanoTime(), leadership.deadlineNanos(),
                        leadership.isLeader()));
            }

            @Override
            public void revoked(LeadershipRevokedEvent event) {
                log.add(new Event(memberId, false, event.term(), event.reason(), System.nanoTime(),
                        leadership.deadlineNanos(), leadership.isLeader()));
            }
        });
        return leadership;
    }

    private Leadership awaitLeader(List<Leadership> members) {
        return await().atMost(LEASE.plus(SLACK)).until(() -> leaderOf(members), Optional::isPresent).orElseThrow();
    }

    private static Optional<Leadership> leaderOf(List<Leadership> members) {
        return members.stream().filter(Leadership::isLeader).findFirst();
    }

    private List<Event> grants() {
        return log.stream().filter(Event::grant).toList();
    }

    private Optional<Event> revokeOf(String member, long term) {
        return log.stream().filter(e -> !e.grant() && e.member().equals(member) && e.term() == term).findFirst();
    }

    private void assertTermsIncreaseInGrantOrder() {
        List<Long> terms = grants().stream().map(Event::term).toList();
        assertThat(terms).as("terms in grant order").isSorted().doesNotHaveDuplicates();
    }
}
