package dev.ringlock.autoconfigure.actuator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import dev.ringlock.autoconfigure.AbstractAutoConfigurationTests;
import dev.ringlock.autoconfigure.CounterAutoConfiguration;
import dev.ringlock.autoconfigure.LockAutoConfiguration;
import dev.ringlock.autoconfigure.RingAutoConfiguration;
import dev.ringlock.autoconfigure.RinglockAutoConfiguration;
import dev.ringlock.autoconfigure.UserLeaderElection;
import dev.ringlock.autoconfigure.ZooKeeperClientAutoConfiguration;
import dev.ringlock.autoconfigure.actuator.RinglockEndpoint.HeldLock;
import dev.ringlock.autoconfigure.actuator.RinglockEndpoint.Group;
import dev.ringlock.autoconfigure.actuator.RinglockEndpoint.LeaderDescriptor;
import dev.ringlock.autoconfigure.actuator.RinglockEndpoint.RinglockDescriptor;
import dev.ringlock.leader.AbstractLeadership;
import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.local.LocalLeaderElectionProvider;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.zookeeper.ZooKeeperMembership;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The {@code ringlock} actuator endpoint: when it exists, and what it answers (backends, held locks, the ring
 * and its changes, the leader elections) on each backend against real servers, serialized as the actuator
 * serializes it.
 */
class RinglockEndpointAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private static final String UTC_MILLIS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class, CounterAutoConfiguration.class,
                    RingAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    RinglockEndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=ringlock");

    private ApplicationContextRunner withServers(String keyPrefix) {
        return runner.withPropertyValues(redisProperties()).withPropertyValues("ringlock.key-prefix=" + keyPrefix);
    }

    @Test
    void zookeeperBackendsHeldLocksAndTheRingWithItsChanges() {
        withServers("endpoint-zk").withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.ring.self-id=instance-1").run(context -> {
            LockTemplate locks = context.getBean(LockTemplate.class);
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            try (LockHandle first = locks.acquire("order:A-1", Duration.ofSeconds(5));
                    LockHandle second = locks.acquire("order:A-2", Duration.ofSeconds(5))) {
                RinglockDescriptor answer = endpoint(context).ringlock();

                assertThat(answer.backends()).containsExactly(Map.entry("lock", "zookeeper"),
                        Map.entry("counter", "zookeeper"), Map.entry("ring", "zookeeper"));
                assertThat(answer.locks()).extracting(HeldLock::key, HeldLock::fencingToken, HeldLock::valid)
                        .containsExactly(tuple("order:A-1", first.fencingToken(), true),
                                tuple("order:A-2", second.fencingToken(), true));
                assertThat(Instant.parse(answer.locks().get(0).since())).isBetween(before, Instant.now());

                assertThat(answer.ring()).isNotNull();
                assertThat(answer.ring().self()).isEqualTo("instance-1");
                assertThat(answer.ring().members()).containsExactly(new RinglockEndpoint.Member("instance-1", 1, 1.0));
                // the router's start() returns once the ring holds this instance; listeners hear of it just after
                await().atMost(Duration.ofSeconds(10)).until(() -> !endpoint(context).ringlock().ring().changes().isEmpty());
                assertThat(endpoint(context).ringlock().ring().changes()).singleElement().satisfies(change -> {
                    assertThat(change.added()).containsExactly("instance-1");
                    assertThat(change.removed()).isEmpty();
                    assertThat(change.movedFraction()).isEqualTo(1.0);
                    assertThat(change.members()).isEqualTo(1);
                });

                first.close();
                assertThat(endpoint(context).ringlock().locks()).extracting(HeldLock::key).containsExactly("order:A-2");
            }
            assertThat(endpoint(context).ringlock().locks()).isEmpty();
        });
    }

    @Test
    void redisBackendsAndAStaticRing() {
        withServers("endpoint-redis").withPropertyValues("ringlock.backend=redis", "ringlock.ring.nodes=b,a,c")
                .run(context -> {
                    RinglockDescriptor answer = endpoint(context).ringlock();
                    assertThat(answer.backends()).containsExactly(Map.entry("lock", "redis"),
                            Map.entry("counter", "redis"), Map.entry("ring", "static"));
                    assertThat(answer.ring().self()).isNull();
                    assertThat(answer.ring().members()).extracting(RinglockEndpoint.Member::id).containsExactly("a", "b", "c");
                    assertThat(answer.ring().members()).allSatisfy(member ->
                            assertThat(member.share()).isCloseTo(1.0 / 3, offset(1e-9)));
                });
    }

    @Test
    void ringChangesAreListedNewestFirst() {
        withServers("endpoint-ring-changes").withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.ring.self-id=instance-1").run(context -> {
            try (var other = TestClients.zookeeper(zookeeper.connectString(), 10_000,
                    new RetryOneTime(100))) {
                var membership = new ZooKeeperMembership(other, new ZooKeeperPaths("endpoint-ring-changes"));
                membership.start(members -> {
                });
                membership.join("instance-2");
                await().atMost(Duration.ofSeconds(20)).until(() -> endpoint(context).ringlock().ring().changes().size() == 2);
                membership.stop();
                await().atMost(Duration.ofSeconds(20)).until(() -> endpoint(context).ringlock().ring().changes().size() == 3);
            }
            List<RinglockEndpoint.Change> changes = endpoint(context).ringlock().ring().changes();
            assertThat(changes).extracting(RinglockEndpoint.Change::added)
                    .containsExactly(List.of(), List.of("instance-2"), List.of("instance-1"));
            assertThat(changes.get(0).removed()).containsExactly("instance-2");
            assertThat(changes.get(0).members()).isEqualTo(1);
            assertThat(changes.get(1).movedFraction()).isCloseTo(0.5, offset(1e-9));
        });
    }

    @Test
    void aLockFoundLostLeavesTheList() {
        LettuceConnectionFactory adminFactory = TestClients.redis(redis.host(), redis.port());
        try {
            StringRedisTemplate admin = new StringRedisTemplate(adminFactory);
            withServers("endpoint-lost").withPropertyValues("ringlock.backend=redis", "ringlock.lock.lease-time=900ms",
                    "ringlock.ring.enabled=false").run(context -> {
                try (LockHandle handle = context.getBean(LockTemplate.class).acquire("doomed", Duration.ofSeconds(5))) {
                    assertThat(endpoint(context).ringlock().locks()).extracting(HeldLock::key).containsExactly("doomed");
                    assertThat(admin.delete("endpoint-lost:lock:{doomed}")).as("the lock's key existed").isTrue();
                    await().atMost(Duration.ofSeconds(10)).until(() -> !handle.isValid());
                    await().atMost(Duration.ofSeconds(10)).until(() -> endpoint(context).ringlock().locks().isEmpty());
                }
            });
        }
        finally {
            adminFactory.destroy();
        }
    }

    @Test
    void theJsonHasTheAgreedNamesAndLeavesOutWhatIsNotConfigured() {
        withServers("endpoint-json").withPropertyValues("ringlock.backend=local", "ringlock.ring.nodes=n1").run(context -> {
            try (LockHandle ignored = context.getBean(LockTemplate.class).acquire("order:A-1", Duration.ofSeconds(1))) {
                JsonNode json = json(context);
                assertThat(json.propertyNames()).containsExactly("backends", "locks", "ring");
                assertThat(json.get("backends").propertyNames()).containsExactly("lock", "counter", "ring");
                JsonNode lock = json.get("locks").get(0);
                assertThat(lock.propertyNames()).as("permits only for a permit lock")
                        .containsExactly("key", "fencingToken", "since", "valid", "kind");
                assertThat(lock.get("kind").asString()).isEqualTo("write");
                assertThat(lock.get("key").asString()).isEqualTo("order:A-1");
                assertThat(lock.get("fencingToken").isIntegralNumber()).isTrue();
                assertThat(lock.get("since").asString()).as("UTC, to the millisecond").matches(UTC_MILLIS);
                assertThat(Instant.parse(lock.get("since").asString())).isBeforeOrEqualTo(Instant.now());
                assertThat(lock.get("valid").asBoolean()).isTrue();
                JsonNode ring = json.get("ring");
                assertThat(ring.propertyNames()).containsExactly("self", "members", "changes");
                assertThat(ring.get("self").isNull()).as("self is null, not left out").isTrue();
                assertThat(ring.get("members").get(0).propertyNames()).containsExactly("id", "weight", "share");
                JsonNode change = ring.get("changes").get(0);
                assertThat(change.propertyNames()).containsExactly("at", "added", "removed", "movedFraction", "members");
                assertThat(change.get("at").asString()).matches(UTC_MILLIS);
            }
        });
        withServers("endpoint-json").withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false")
                .run(context -> {
                    JsonNode json = json(context);
                    assertThat(json.propertyNames()).containsExactly("backends", "locks");
                    assertThat(json.get("backends").propertyNames()).containsExactly("lock", "counter");
                });
    }

    @Test
    void eachHeldLockShowsItsKindAndAPermitLockItsPermits() {
        withServers("endpoint-kinds").withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false")
                .run(context -> {
                    LockTemplate locks = context.getBean(LockTemplate.class);
                    Duration wait = Duration.ofSeconds(1);
                    try (LockHandle write = locks.acquire("order:A-1", wait);
                            LockHandle read = locks.tryAcquireRead("catalogue", wait).orElseThrow();
                            LockHandle permit = locks.tryAcquirePermit("partner-api", 5, wait).orElseThrow();
                            LockHandle both = locks.tryAcquireAll(List.of("account:2", "account:1"), wait).orElseThrow()) {
                        assertThat(endpoint(context).ringlock().locks())
                                .extracting(HeldLock::key, HeldLock::kind, HeldLock::permits)
                                .as("one entry per key of the lock on several keys")
                                .containsExactlyInAnyOrder(tuple("order:A-1", "write", null), tuple("catalogue", "read", null),
                                        tuple("partner-api", "permit", 5), tuple("account:1", "write", null),
                                        tuple("account:2", "write", null));
                        JsonNode json = json(context).get("locks");
                        JsonNode readLock = listed(json, "catalogue");
                        assertThat(readLock.get("kind").asString()).isEqualTo("read");
                        assertThat(readLock.has("permits")).isFalse();
                        JsonNode permitLock = listed(json, "partner-api");
                        assertThat(permitLock.propertyNames())
                                .containsExactly("key", "fencingToken", "since", "valid", "kind", "permits");
                        assertThat(permitLock.get("permits").asInt()).isEqualTo(5);
                    }
                    assertThat(endpoint(context).ringlock().locks()).isEmpty();
                });
    }

    @Test
    void leaderElectionsWithThisMembersRoleTermAndTheLeaderItSees() {
        runner.withBean(LocalLeaderElectionProvider.class).withUserConfiguration(UserLeaderElection.class)
                .withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false").run(context -> {
                    DefaultLeaderElection election = context.getBean(DefaultLeaderElection.class);
                    assertThat(endpoint(context).ringlock().leader())
                            .isEqualTo(new LeaderDescriptor(UserLeaderElection.MEMBER, "local", List.of()));
                    DefaultLeaderElection other = new DefaultLeaderElection("instance-2",
                            context.getBean(LocalLeaderElectionProvider.class), null);
                    try {
                        Leadership othersReports = other.join("reports");
                        Leadership reports = election.join("reports");
                        Leadership billing = election.join("billing");
                        assertThat(endpoint(context).ringlock().leader().groups()).containsExactly(
                                new Group("billing", "leader", billing.term(), UserLeaderElection.MEMBER),
                                new Group("reports", "follower", 0, "instance-2"));
                        assertThat(billing.term()).isPositive();

                        other.close();
                        await().atMost(Duration.ofSeconds(10)).until(reports::isLeader);
                        assertThat(reports.term()).as("a later term").isGreaterThan(othersReports.term());
                        assertThat(endpoint(context).ringlock().leader().groups()).element(1).isEqualTo(
                                new Group("reports", "leader", reports.term(), UserLeaderElection.MEMBER));

                        long latest = billing.term();
                        billing.close();
                        assertThat(endpoint(context).ringlock().leader().groups()).extracting(Group::group)
                                .as("left").containsExactly("reports");
                        assertThat(latest).isPositive();
                    }
                    finally {
                        other.close();
                    }
                });
    }

    @Test
    void theLeaderSectionsJsonHasTheAgreedNamesAndKeepsAnUnknownLeaderAsNull() {
        runner.withBean(LocalLeaderElectionProvider.class).withUserConfiguration(UserLeaderElection.class)
                .withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false").run(context -> {
                    Leadership reports = context.getBean(DefaultLeaderElection.class).join("reports");
                    JsonNode json = json(context);
                    assertThat(json.propertyNames()).containsExactly("backends", "locks", "leader");
                    JsonNode leader = json.get("leader");
                    assertThat(leader.propertyNames()).containsExactly("memberId", "backend", "groups");
                    assertThat(leader.get("memberId").asString()).isEqualTo(UserLeaderElection.MEMBER);
                    assertThat(leader.get("backend").asString()).isEqualTo("local");
                    JsonNode group = leader.get("groups").get(0);
                    assertThat(group.propertyNames()).containsExactly("group", "role", "term", "leader");
                    assertThat(group.get("group").asString()).isEqualTo("reports");
                    assertThat(group.get("role").asString()).isEqualTo("leader");
                    assertThat(group.get("term").isIntegralNumber()).isTrue();
                    assertThat(group.get("term").asLong()).isEqualTo(reports.term());
                    assertThat(group.get("leader").asString()).isEqualTo(UserLeaderElection.MEMBER);
                });
        runner.withBean(LeaderElectionProvider.class, Unanswered::new).withUserConfiguration(UserLeaderElection.class)
                .withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false").run(context -> {
                    context.getBean(DefaultLeaderElection.class).join("reports");
                    JsonNode group = json(context).get("leader").get("groups").get(0);
                    assertThat(group.get("role").asString()).isEqualTo("follower");
                    assertThat(group.get("term").asLong()).as("before its first term").isZero();
                    assertThat(group.get("leader").isNull()).as("no leader seen yet: null, not left out").isTrue();
                });
    }

    @Test
    void noEndpointUnlessExposed() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class, LockAutoConfiguration.class,
                        RinglockEndpointAutoConfiguration.class))
                .withPropertyValues("ringlock.backend=local")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RinglockEndpoint.class));
    }

    @Test
    void noEndpointWithoutTheActuator() {
        runner.withPropertyValues("ringlock.backend=local").withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RinglockEndpoint.class));
    }

    private static RinglockEndpoint endpoint(AssertableApplicationContext context) {
        return context.getBean(RinglockEndpoint.class);
    }

    private static JsonNode listed(JsonNode locks, String key) {
        for (JsonNode lock : locks) {
            if (lock.get("key").asString().equals(key)) {
                return lock;
            }
        }
        throw new AssertionError("lock '" + key + "' not listed in " + locks);
    }

    private static JsonNode json(AssertableApplicationContext context) {
        var mapper = context.getBean(EndpointJsonMapper.class).get();
        return mapper.readTree(mapper.writeValueAsString(endpoint(context).ringlock()));
    }

    /** A backend whose candidacies never hear from the server: no term, no leader seen, as before a first answer. */
    static final class Unanswered implements LeaderElectionProvider {

        @Override
        public String backend() {
            return "unanswered";
        }

        @Override
        public Leadership join(String group, String memberId) {
            return new AbstractLeadership(backend(), group, memberId) {

                @Override
                protected void handOver(long term) {
                }

                @Override
                protected void leave() {
                }
            };
        }
    }
}
