package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.ringlock.autoconfigure.metrics.LeaderMeters;
import dev.ringlock.autoconfigure.metrics.LeaderMetricsAutoConfiguration;
import dev.ringlock.autoconfigure.metrics.RingMeters;
import dev.ringlock.autoconfigure.metrics.RingMetricsAutoConfiguration;
import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.Leadership;
import dev.ringlock.local.LocalLeaderElectionProvider;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLeaderElectionProvider;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.lock.LockObservations;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.zookeeper.ZooKeeperMembership;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The locks' observations ({@code ringlock.lock.acquire}, {@code .held}, {@code .lost}) and the ring's meters
 * ({@code ringlock.ring.members}, {@code .changes}), turned into meters by Micrometer's meter handler as the
 * actuator does, on real servers: names, tags and counts. And the leader election's meters
 * ({@code ringlock.leader.leading}, {@code .grants}, {@code .revokes}) per group, fed by the published events.
 */
class MetricsAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class, RingAutoConfiguration.class,
                    RingMetricsAutoConfiguration.class, LeaderMetricsAutoConfiguration.class,
                    DataRedisAutoConfiguration.class));

    /** A registry and this instance's election on the local backend, whose provider the test shares. */
    private final ApplicationContextRunner localElection = runner.withBean(SimpleMeterRegistry.class)
            .withBean(LocalLeaderElectionProvider.class).withUserConfiguration(UserLeaderElection.class)
            .withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false");

    private ApplicationContextRunner observed(String keyPrefix) {
        return runner.withUserConfiguration(MeteredObservations.class).withPropertyValues(redisProperties())
                .withPropertyValues("ringlock.key-prefix=" + keyPrefix);
    }

    @Test
    void redisAcquisitionsAreTimedByOutcomeAndHoldsUntilRelease() {
        observed("metrics-redis").withPropertyValues("ringlock.backend=redis", "ringlock.ring.enabled=false")
                .run(context -> acquisitionsAndHolds(context, "redis"));
    }

    @Test
    void zookeeperAcquisitionsAreTimedByOutcomeAndHoldsUntilRelease() {
        observed("metrics-zk").withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.ring.enabled=false").run(context -> acquisitionsAndHolds(context, "zookeeper"));
    }

    private static void acquisitionsAndHolds(AssertableApplicationContext context, String backend) {
        LockTemplate locks = context.getBean(LockTemplate.class);
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        try (LockHandle held = locks.acquire("order:1", Duration.ofSeconds(5))) {
            assertThat(locks.tryAcquire("order:1", Duration.ZERO)).as("taken").isEmpty();
            assertThat(meters.get(LockObservations.HELD + ".active").tag("backend", backend).longTaskTimer()
                    .activeTasks()).as("locks held now").isEqualTo(1);
            assertThat(held.isValid()).isTrue();
        }
        locks.executeWithLock("order:2", Duration.ofSeconds(5), () -> "done");

        assertThat(writes(meters, "acquired", backend).count()).isEqualTo(2);
        assertThat(writes(meters, "timeout", backend).count()).isEqualTo(1);
        assertThat(meters.find(LockObservations.ACQUIRE).tag("outcome", "error").timers()).isEmpty();
        Timer holds = meters.get(LockObservations.HELD).tag("backend", backend).timer();
        assertThat(holds.count()).as("two holds, both ended").isEqualTo(2);
        assertThat(meters.get(LockObservations.HELD + ".active").tag("backend", backend).longTaskTimer()
                .activeTasks()).isZero();
        assertThat(meters.find(LockObservations.LOST).timers()).isEmpty();
        assertThat(meters.getMeters()).filteredOn(meter -> meter.getId().getName().startsWith("ringlock.lock"))
                .isNotEmpty()
                .allSatisfy(meter -> assertThat(meter.getId().getTag("key")).as("the key is never a tag").isNull());
    }

    @Test
    void acquisitionsHoldsAndTheirMetersAreTaggedWithTheLocksKind() {
        observed("metrics-kinds").withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false")
                .run(context -> {
                    LockTemplate locks = context.getBean(LockTemplate.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    Duration wait = Duration.ofSeconds(1);
                    try (LockHandle reader = locks.tryAcquireRead("catalogue", wait).orElseThrow();
                            LockHandle otherReader = locks.tryAcquireRead("catalogue", wait).orElseThrow();
                            LockHandle first = locks.tryAcquirePermit("partner-api", 2, wait).orElseThrow();
                            LockHandle second = locks.tryAcquirePermit("partner-api", 2, wait).orElseThrow()) {
                        assertThat(locks.tryAcquirePermit("partner-api", 2, Duration.ZERO)).as("both permits taken")
                                .isEmpty();
                        assertThat(active(meters, "read")).as("readers holding now").isEqualTo(2);
                        assertThat(active(meters, "permit")).as("permits held now").isEqualTo(2);
                    }
                    locks.tryAcquireAll(List.of("account:2", "account:1"), wait).orElseThrow().close();

                    assertThat(acquisitions(meters, "acquired", "read").count()).isEqualTo(2);
                    assertThat(acquisitions(meters, "acquired", "permit").count()).isEqualTo(2);
                    assertThat(acquisitions(meters, "timeout", "permit").count()).isEqualTo(1);
                    assertThat(acquisitions(meters, "acquired", "write").count()).as("one acquisition per key")
                            .isEqualTo(2);
                    assertThat(meters.get(LockObservations.HELD).tags("kind", "read", "backend", "local").timer().count())
                            .isEqualTo(2);
                    assertThat(meters.get(LockObservations.HELD).tags("kind", "permit", "backend", "local").timer()
                            .count()).isEqualTo(2);
                    assertThat(meters.get(LockObservations.HELD).tags("kind", "write", "backend", "local").timer()
                            .count()).isEqualTo(2);
                    assertThat(active(meters, "read") + active(meters, "permit") + active(meters, "write")).isZero();
                    assertThat(meters.getMeters()).filteredOn(meter -> meter.getId().getName().startsWith("ringlock.lock"))
                            .allSatisfy(meter -> assertThat(meter.getId().getTag("kind")).isIn("write", "read", "permit"));
                });
    }

    private static int active(MeterRegistry meters, String kind) {
        return meters.get(LockObservations.HELD + ".active").tags("kind", kind, "backend", "local").longTaskTimer()
                .activeTasks();
    }

    private static Timer acquisitions(MeterRegistry meters, String outcome, String kind) {
        return meters.get(LockObservations.ACQUIRE).tags("outcome", outcome, "kind", kind, "backend", "local").timer();
    }

    @Test
    void aRedisLockFoundLostIsCountedAndEndsItsHold() {
        LettuceConnectionFactory adminFactory = TestClients.redis(redis.host(), redis.port());
        try {
            StringRedisTemplate admin = new StringRedisTemplate(adminFactory);
            observed("metrics-redis-lost").withPropertyValues("ringlock.backend=redis", "ringlock.lock.lease-time=900ms",
                    "ringlock.ring.enabled=false").run(context -> {
                try (LockHandle handle = context.getBean(LockTemplate.class).acquire("doomed", Duration.ofSeconds(5))) {
                    assertThat(admin.delete("metrics-redis-lost:lock:{doomed}")).isTrue();
                    await().atMost(Duration.ofSeconds(10)).until(() -> !handle.isValid());
                    assertLostOnce(context.getBean(MeterRegistry.class), "redis");
                }
                assertLostOnce(context.getBean(MeterRegistry.class), "redis");
            });
        }
        finally {
            adminFactory.destroy();
        }
    }

    @Test
    void aZooKeeperLockFoundLostIsCountedAndEndsItsHold() {
        try (CuratorFramework admin = TestClients.zookeeper(zookeeper.connectString(), 10_000, new RetryOneTime(100))) {
            observed("metrics-zk-lost").withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                    "ringlock.ring.enabled=false").run(context -> {
                try (LockHandle handle = context.getBean(LockTemplate.class).acquire("doomed", Duration.ofSeconds(5))) {
                    String locks = "/metrics-zk-lost/locks/doomed";
                    List<String> nodes = admin.getChildren().forPath(locks);
                    assertThat(nodes).as("the holder's node").hasSize(1);
                    admin.delete().forPath(locks + "/" + nodes.get(0));
                    await().atMost(Duration.ofSeconds(10)).until(() -> !handle.isValid());
                    assertLostOnce(context.getBean(MeterRegistry.class), "zookeeper");
                }
                assertLostOnce(context.getBean(MeterRegistry.class), "zookeeper");
            });
        }
    }

    private static void assertLostOnce(MeterRegistry meters, String backend) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(meters.get(LockObservations.LOST).tags("kind", "write", "backend", backend).timer().count())
                        .isEqualTo(1));
        assertThat(meters.get(LockObservations.HELD).tag("backend", backend).timer().count())
                .as("the hold ended with the loss, once").isEqualTo(1);
        assertThat(meters.get(LockObservations.HELD + ".active").tag("backend", backend).longTaskTimer().activeTasks())
                .isZero();
    }

    @Test
    void anAcquisitionThatFailsIsAnError() {
        runner.withUserConfiguration(MeteredObservations.class).withBean(LockProvider.class, FailingProvider::new)
                .withPropertyValues("ringlock.backend=local").run(context -> {
                    assertThatThrownBy(() -> context.getBean(LockTemplate.class).acquire("k", Duration.ofSeconds(1)))
                            .isInstanceOf(LockBackendException.class);
                    Timer errors = context.getBean(MeterRegistry.class).get(LockObservations.ACQUIRE)
                            .tags("outcome", "error", "backend", "failing").timer();
                    assertThat(errors.count()).isEqualTo(1);
                    assertThat(errors.getId().getTag("error")).isEqualTo("LockBackendException");
                });
    }

    @Test
    void noLockMetersWithoutAnObservationRegistry() {
        runner.withBean(SimpleMeterRegistry.class).withPropertyValues("ringlock.backend=local", "ringlock.ring.nodes=a")
                .run(context -> {
                    context.getBean(LockTemplate.class).executeWithLock("k", Duration.ofSeconds(1), () -> "done");
                    assertThat(context.getBean(MeterRegistry.class).getMeters()).extracting(meter -> meter.getId().getName())
                            .noneMatch(name -> name.startsWith("ringlock.lock"))
                            .contains(RingMeters.MEMBERS);
                });
    }

    @Test
    void zookeeperRingMembersAndChanges() {
        observed("metrics-ring").withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.ring.self-id=instance-1").run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get(RingMeters.MEMBERS).tag("membership", "zookeeper").gauge().value()).isEqualTo(1);
            // the router's start() returns once the ring holds this instance; listeners hear of it just after
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    meters.get(RingMeters.CHANGES).tag("membership", "zookeeper").counter().count()).isEqualTo(1));
            try (CuratorFramework other = TestClients.zookeeper(zookeeper.connectString(), 10_000, new RetryOneTime(100))) {
                ZooKeeperMembership membership = new ZooKeeperMembership(other, new ZooKeeperPaths("metrics-ring"));
                membership.start(members -> {
                });
                membership.join("instance-2");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(meters.get(RingMeters.MEMBERS).gauge().value()).isEqualTo(2));
                membership.stop();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(meters.get(RingMeters.MEMBERS).gauge().value()).isEqualTo(1));
            }
            assertThat(meters.get(RingMeters.CHANGES).counter().count()).as("join of both, leave of one").isEqualTo(3);
        });
    }

    @Test
    void staticRingMembers() {
        runner.withBean(SimpleMeterRegistry.class).withPropertyValues("ringlock.backend=local", "ringlock.ring.nodes=a,b,c")
                .run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get(RingMeters.MEMBERS).tag("membership", "static").gauge().value()).isEqualTo(3);
                    assertThat(meters.get(RingMeters.CHANGES).tag("membership", "static").counter().count()).isEqualTo(1);
                });
    }

    @Test
    void noRingMetersWithoutARegistryOrMicrometer() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.ring.nodes=a").run(context ->
                assertThat(context.getBean(RingMetricsAutoConfiguration.RingMetersHolder.class).meters()).isNull());
        runner.withPropertyValues("ringlock.backend=local", "ringlock.ring.nodes=a")
                .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(RingMetricsAutoConfiguration.RingMetersHolder.class));
    }

    @Test
    void leaderMetersFollowEveryJoinedGroupAndCountGrantsAndRevokesByReason() {
        localElection.run(context -> {
            DefaultLeaderElection election = context.getBean(DefaultLeaderElection.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            DefaultLeaderElection other = new DefaultLeaderElection("instance-2",
                    context.getBean(LocalLeaderElectionProvider.class), null);
            try {
                assertThat(other.join("reports").isLeader()).as("the other member came first").isTrue();
                Leadership reports = election.join("reports");
                assertThat(reports.isLeader()).isFalse();
                assertThat(leading(meters, "reports")).as("a follower").isZero();
                assertThat(grants(meters, "reports")).isZero();

                Leadership billing = election.join("billing");
                assertThat(billing.isLeader()).isTrue();
                assertThat(leading(meters, "billing")).as("a group joined later").isEqualTo(1);
                assertThat(grants(meters, "billing")).isEqualTo(1);

                other.close();
                await().atMost(Duration.ofSeconds(10)).until(reports::isLeader);
                assertThat(leading(meters, "reports")).as("handed over").isEqualTo(1);
                assertThat(grants(meters, "reports")).isEqualTo(1);

                reports.yieldLeadership();
                await().atMost(Duration.ofSeconds(10)).until(reports::isLeader);
                assertThat(revokes(meters, "reports", "yielded")).isEqualTo(1);
                assertThat(grants(meters, "reports")).as("the only candidate leads again").isEqualTo(2);

                billing.close();
                assertThat(leading(meters, "billing")).as("left").isZero();
                assertThat(revokes(meters, "billing", "closed")).isEqualTo(1);
                Leadership billingAgain = election.join("billing");
                assertThat(billingAgain.isLeader()).isTrue();
                assertThat(leading(meters, "billing")).as("joined again: the same gauge").isEqualTo(1);
                assertThat(meters.find(LeaderMeters.LEADING).gauges()).hasSize(2);
                assertThat(grants(meters, "billing")).isEqualTo(2);
            }
            finally {
                other.close();
            }
            assertThat(meters.getMeters()).filteredOn(meter -> meter.getId().getName().startsWith("ringlock.leader"))
                    .isNotEmpty()
                    .allSatisfy(meter -> assertThat(meter.getId().getTags()).extracting(Tag::getKey)
                            .as("never the member id").isSubsetOf("group", "reason"));
        });
    }

    @Test
    void aRedisLeaderWhoseKeyIsDeletedIsRevokedWithLeaseLost() {
        LettuceConnectionFactory adminFactory = TestClients.redis(redis.host(), redis.port());
        try {
            StringRedisTemplate admin = new StringRedisTemplate(adminFactory);
            runner.withBean(SimpleMeterRegistry.class).withUserConfiguration(RedisElection.class, UserLeaderElection.class)
                    .withPropertyValues(redisProperties())
                    .withPropertyValues("ringlock.backend=redis", "ringlock.ring.enabled=false").run(context -> {
                        MeterRegistry meters = context.getBean(MeterRegistry.class);
                        Leadership reports = context.getBean(DefaultLeaderElection.class).join("reports");
                        await().atMost(Duration.ofSeconds(10)).until(reports::isLeader);
                        long firstTerm = reports.term();
                        assertThat(leading(meters, "reports")).isEqualTo(1);
                        assertThat(grants(meters, "reports")).isEqualTo(1);

                        assertThat(admin.delete("metrics-leader:{leader:reports}")).as("the leader key existed").isTrue();
                        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                                assertThat(revokes(meters, "reports", "lease-lost")).isEqualTo(1));
                        // the member is still a candidate and takes the free key again, with a new term
                        await().atMost(Duration.ofSeconds(10)).until(() -> reports.isLeader() && reports.term() > firstTerm);
                        assertThat(leading(meters, "reports")).isEqualTo(1);
                        assertThat(grants(meters, "reports")).isEqualTo(2);
                    });
        }
        finally {
            adminFactory.destroy();
        }
    }

    @Test
    void noLeaderMetersWithoutARegistryAnElectionOrMicrometer() {
        runner.withBean(LocalLeaderElectionProvider.class).withUserConfiguration(UserLeaderElection.class)
                .withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false")
                .run(context -> assertThat(context.getBean(LeaderMetricsAutoConfiguration.LeaderMetersHolder.class)
                        .meters()).as("no registry").isNull());
        runner.withBean(SimpleMeterRegistry.class).withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false")
                .run(context -> assertThat(context.getBean(LeaderMetricsAutoConfiguration.LeaderMetersHolder.class)
                        .meters()).as("no election").isNull());
        localElection.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(LeaderMetricsAutoConfiguration.LeaderMetersHolder.class));
    }

    private static double leading(MeterRegistry meters, String group) {
        return meters.get(LeaderMeters.LEADING).tag("group", group).gauge().value();
    }

    private static double grants(MeterRegistry meters, String group) {
        return meters.get(LeaderMeters.GRANTS).tag("group", group).counter().count();
    }

    /** 0 before the first such revoke, whose counter is registered with it. */
    private static double revokes(MeterRegistry meters, String group, String reason) {
        Counter revokes = meters.find(LeaderMeters.REVOKES).tags("group", group, "reason", reason).counter();
        return revokes == null ? 0 : revokes.count();
    }

    private static Timer writes(MeterRegistry meters, String outcome, String backend) {
        return meters.get(LockObservations.ACQUIRE).tags("outcome", outcome, "kind", "write", "backend", backend).timer();
    }

    /** A provider whose backend always fails. */
    static final class FailingProvider implements LockProvider {

        @Override
        public String backend() {
            return "failing";
        }

        @Override
        public Optional<LockHandle> tryAcquire(LockRequest request) {
            throw new LockBackendException(request.key(), "failing", "acquire", new IllegalStateException("down"));
        }
    }

    /** Redis leader election under the key prefix {@code metrics-leader}, with a short lease. */
    @Configuration(proxyBeanMethods = false)
    static class RedisElection {

        @Bean
        RedisLeaderElectionProvider leaderElectionProvider(RedisConnectionFactory connectionFactory,
                RinglockScheduler scheduler) {
            return new RedisLeaderElectionProvider(connectionFactory, new RedisKeyspace("metrics-leader"),
                    scheduler.executor(), Duration.ofMillis(900), Duration.ofMillis(200));
        }
    }
}
