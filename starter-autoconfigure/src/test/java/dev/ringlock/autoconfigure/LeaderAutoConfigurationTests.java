package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.LeaderContext;
import dev.ringlock.leader.LeaderElection;
import dev.ringlock.leader.LeaderElectionLifecycle;
import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.LeaderOnly;
import dev.ringlock.leader.LeaderOnlyAdvisor;
import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipGrantedEvent;
import dev.ringlock.leader.LeadershipRevokedEvent;
import dev.ringlock.local.LocalLeaderElectionProvider;
import dev.ringlock.redis.RedisLeaderElectionProvider;
import dev.ringlock.redis.RedisLockProvider;
import dev.ringlock.redis.RedisReleaseChannel;
import dev.ringlock.zookeeper.ZooKeeperLeaderElectionProvider;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.RedisClientInfo;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The leader election's beans per backend, the backend and member id chosen by properties, the groups joined at
 * start-up and left at close, and the start-up failures of bad properties, against real servers.
 */
class LeaderAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LeaderAutoConfiguration.class,
                    DataRedisAutoConfiguration.class, AopAutoConfiguration.class));

    private final ApplicationContextRunner local = runner.withPropertyValues("ringlock.backend=local");

    @Test
    void localBackendWhenNamed() {
        local.run(context -> {
            assertThat(context).hasSingleBean(LocalLeaderElectionProvider.class).hasSingleBean(LeaderElection.class)
                    .hasSingleBean(LeaderOnlyAdvisor.class).hasSingleBean(LeaderElectionLifecycle.class);
            DefaultLeaderElection election = context.getBean(DefaultLeaderElection.class);
            assertThat(context.getBean(LeaderElection.class)).isSameAs(election);
            assertThat(election.backend()).isEqualTo("local");
            assertThat(election.join("solo").isLeader()).isTrue();
        });
    }

    @Test
    void redisBackendWhenNamed() {
        runner.withPropertyValues(redisProperties()).withPropertyValues("ringlock.backend=redis",
                "ringlock.leader.member-id=redis-member").run(context -> {
            assertThat(context).hasSingleBean(RedisLeaderElectionProvider.class);
            DefaultLeaderElection election = context.getBean(DefaultLeaderElection.class);
            assertThat(election.backend()).isEqualTo("redis");
            Leadership leadership = election.join("auto-config-redis");
            await().until(leadership::isLeader);
            assertThat(leadership.memberId()).isEqualTo("redis-member");
            assertThat(leadership.term()).isPositive();
        });
    }

    @Test
    void zooKeeperBackendWhenNamed() {
        runner.withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.leader.member-id=zookeeper-member").run(context -> {
            assertThat(context).hasSingleBean(ZooKeeperLeaderElectionProvider.class)
                    .doesNotHaveBean(RedisLeaderElectionProvider.class);
            DefaultLeaderElection election = context.getBean(DefaultLeaderElection.class);
            assertThat(election.backend()).isEqualTo("zookeeper");
            Leadership leadership = election.join("auto-config-zookeeper");
            await().until(leadership::isLeader);
            assertThat(leadership.memberId()).isEqualTo("zookeeper-member");
            assertThat(leadership.term()).isPositive();
        });
    }

    @Test
    void zooKeeperIsDetectedFromTheConnectString() {
        runner.withPropertyValues(zookeeperConnect()).run(context ->
                assertThat(context.getBean(DefaultLeaderElection.class).backend()).isEqualTo("zookeeper"));
    }

    @Test
    void onRedisLocksAndLeaderElectionShareOneReleaseChannelSubscription() {
        runner.withConfiguration(AutoConfigurations.of(LockAutoConfiguration.class)).withPropertyValues(redisProperties())
                .withPropertyValues("ringlock.backend=redis", "ringlock.leader.groups=shared-channel").run(context -> {
            assertThat(context).hasSingleBean(RedisReleaseChannel.class).hasSingleBean(RedisLockProvider.class)
                    .hasSingleBean(RedisLeaderElectionProvider.class);
            StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribedClients(redis) == 1);
        });
    }

    /** Connections of the server that subscribe to a channel or pattern, from {@code CLIENT LIST}. */
    private static long subscribedClients(StringRedisTemplate redis) {
        List<RedisClientInfo> clients = redis.execute((RedisCallback<List<RedisClientInfo>>) connection ->
                connection.serverCommands().getClientList());
        return clients.stream().filter(client -> !"0".equals(client.get("sub")) || !"0".equals(client.get("psub")))
                .count();
    }

    @Test
    void leaderBackendOverridesTheDefaultBackend() {
        runner.withPropertyValues(redisProperties()).withPropertyValues("ringlock.backend=redis",
                "ringlock.leader.backend=local").run(context -> {
            assertThat(context).hasSingleBean(LocalLeaderElectionProvider.class)
                    .doesNotHaveBean(RedisLeaderElectionProvider.class);
            assertThat(context.getBean(DefaultLeaderElection.class).backend()).isEqualTo("local");
        });
    }

    @Test
    void redisIsDetectedFromTheConnectionFactory() {
        runner.withPropertyValues(redisProperties()).run(context ->
                assertThat(context).hasSingleBean(RedisLeaderElectionProvider.class));
    }

    @Test
    void memberIdDefaultsToHostAndProcessId() {
        local.run(context -> {
            String memberId = context.getBean(DefaultLeaderElection.class).memberId();
            assertThat(memberId).isEqualTo(LeaderMemberId.hostAndPid()).endsWith("-" + ProcessHandle.current().pid());
            assertThat(memberId.length()).isGreaterThan(("-" + ProcessHandle.current().pid()).length());
        });
    }

    @Test
    void memberIdDefaultsToTheRingSelfId() {
        local.withPropertyValues("ringlock.ring.self-id=cache-1:8080").run(context ->
                assertThat(context.getBean(DefaultLeaderElection.class).memberId()).isEqualTo("cache-1:8080"));
    }

    @Test
    void memberIdPropertyWinsOverTheRingSelfId() {
        local.withPropertyValues("ringlock.ring.self-id=cache-1:8080", "ringlock.leader.member-id=reporter-7")
                .run(context -> {
                    assertThat(context.getBean(DefaultLeaderElection.class).memberId()).isEqualTo("reporter-7");
                    assertThat(context.getBean(LeaderElection.class).join("reports").memberId()).isEqualTo("reporter-7");
                });
    }

    @Test
    void configuredAndAnnotatedGroupsAreJoinedAtStartUpAndLeftAtClose() {
        LeadershipEvents events = new LeadershipEvents();
        List<Leadership> joined = new CopyOnWriteArrayList<>();
        local.withPropertyValues("ringlock.leader.groups=reports,billing")
                .withBean(LeadershipEvents.class, () -> events).withUserConfiguration(Nightly.class).run(context -> {
                    DefaultLeaderElection election = context.getBean(DefaultLeaderElection.class);
                    assertThat(election.joined()).extracting(Leadership::group)
                            .containsExactlyInAnyOrder("reports", "billing", "nightly");
                    assertThat(context.getBean(LeaderElectionLifecycle.class).joinedGroups())
                            .containsExactlyInAnyOrder("reports", "billing", "nightly");
                    joined.addAll(election.joined());
                    assertThat(joined).allMatch(Leadership::isLeader);
                    assertThat(events.granted).extracting(LeadershipGrantedEvent::group)
                            .containsExactlyInAnyOrder("reports", "billing", "nightly");
                    assertThat(context.getBean(Nightly.class).run()).contains("ran with term "
                            + election.join("nightly").term());
                });
        assertThat(joined).hasSize(3).noneMatch(Leadership::isLeader);
        assertThat(events.revoked).extracting(LeadershipRevokedEvent::group, LeadershipRevokedEvent::reason)
                .containsExactlyInAnyOrder(tuple("reports", LeadershipRevokedEvent.Reason.CLOSED),
                        tuple("billing", LeadershipRevokedEvent.Reason.CLOSED),
                        tuple("nightly", LeadershipRevokedEvent.Reason.CLOSED));
    }

    @Test
    void onRedisTheLeaderHandsOverAtCloseBeforeTheConnectionGoes() {
        ApplicationContextRunner redisRunner = runner.withPropertyValues(redisProperties())
                .withPropertyValues("ringlock.backend=redis", "ringlock.leader.groups=handover",
                        // a lease far longer than the test: only a release at close lets the other lead
                        "ringlock.leader.lease-time=10m");
        redisRunner.withPropertyValues("ringlock.leader.member-id=first").run(first -> {
            Leadership leading = first.getBean(DefaultLeaderElection.class).join("handover");
            await().until(leading::isLeader);
            redisRunner.withPropertyValues("ringlock.leader.member-id=second").run(second -> {
                Leadership waiting = second.getBean(DefaultLeaderElection.class).join("handover");
                assertThat(waiting.isLeader()).isFalse();
                await().until(() -> waiting.leader().equals(Optional.of("first")));
                first.close();
                assertThat(leading.isLeader()).isFalse();
                await().until(waiting::isLeader);
                assertThat(waiting.term()).isGreaterThan(leading.term());
            });
        });
    }

    @Test
    void anApplicationsOwnProviderIsUsed() {
        LocalLeaderElectionProvider own = new LocalLeaderElectionProvider();
        runner.withPropertyValues(redisProperties()).withPropertyValues("ringlock.backend=redis")
                .withBean("ownProvider", LeaderElectionProvider.class, () -> own).run(context -> {
                    assertThat(context).doesNotHaveBean(RedisLeaderElectionProvider.class);
                    assertThat(context.getBean(LeaderElectionProvider.class)).isSameAs(own);
                    assertThat(context.getBean(DefaultLeaderElection.class).backend()).isEqualTo("local");
                });
    }

    @Test
    void anApplicationsOwnElectionIsUsedAndJoinedAtStartUp() {
        local.withPropertyValues("ringlock.leader.groups=reports").withUserConfiguration(OwnElection.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(LeaderElection.class);
                    assertThat(context.getBean(LeaderElection.class)).isSameAs(context.getBean(OwnElection.class).election);
                    assertThat(context.getBean(LeaderElectionLifecycle.class).joinedGroups()).containsExactly("reports");
                    assertThat(context.getBean(OwnElection.class).election.joined()).extracting(Leadership::group)
                            .containsExactly("reports");
                });
    }

    @Test
    void noBackendFailsNamingTheLeaderFeature() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class, LeaderAutoConfiguration.class))
                .run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                    .hasMessageContaining("Ringlock leader has no backend");
            assertThat(StartupFailureAnalysis.of(context.getStartupFailure()).getAction())
                    .contains("'ringlock.leader.backend'");
        });
    }

    @Test
    void blankMemberIdFailsNamingTheProperty() {
        local.withPropertyValues("ringlock.leader.member-id= ").run(context ->
                assertFailsNaming(context.getStartupFailure(), "ringlock.leader.member-id",
                        "'ringlock.leader.member-id' must not be blank"));
    }

    @Test
    void unresolvedPlaceholderInMemberIdFailsNamingTheProperty() {
        local.withPropertyValues("ringlock.leader.member-id=${NO_SUCH_VARIABLE_RINGLOCK}").run(context ->
                assertFailsNaming(context.getStartupFailure(), "ringlock.leader.member-id", "unresolved placeholder"));
    }

    @Test
    void blankGroupFailsNamingTheEntry() {
        local.withPropertyValues("ringlock.leader.groups[0]=reports", "ringlock.leader.groups[1]= ").run(context ->
                assertFailsNaming(context.getStartupFailure(), "ringlock.leader.groups",
                        "'ringlock.leader.groups[1]' must not be blank"));
    }

    @Test
    void zeroOrNegativeLeaseFailsNamingTheProperty() {
        for (String lease : List.of("0s", "-5s")) {
            local.withPropertyValues("ringlock.leader.lease-time=" + lease).run(context ->
                    assertFailsNaming(context.getStartupFailure(), "ringlock.leader.lease-time",
                            "'ringlock.leader.lease-time' must be positive"));
        }
    }

    /** The failure, as Spring Boot reports it, names the property and says what is wrong with it. */
    private static void assertFailsNaming(Throwable failure, String property, String problem) {
        assertThat(failure).as("start-up failure").isNotNull();
        assertThat(failure).rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
        FailureAnalysis analysis = StartupFailureAnalysis.of(failure);
        assertThat(analysis.getDescription()).contains("'" + property, problem);
        assertThat(analysis.getAction()).isNotBlank();
    }

    /** Records the leadership events the application context publishes. */
    static class LeadershipEvents {

        final List<LeadershipGrantedEvent> granted = new CopyOnWriteArrayList<>();
        final List<LeadershipRevokedEvent> revoked = new CopyOnWriteArrayList<>();

        @EventListener
        void granted(LeadershipGrantedEvent event) {
            granted.add(event);
        }

        @EventListener
        void revoked(LeadershipRevokedEvent event) {
            revoked.add(event);
        }
    }

    @Component
    static class Nightly {

        @LeaderOnly(group = "nightly")
        public String run() {
            return "ran with term " + LeaderContext.current().orElseThrow().term();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnElection {

        final DefaultLeaderElection election = new DefaultLeaderElection("own", new LocalLeaderElectionProvider(), null);

        @Bean
        LeaderElection ownLeaderElection() {
            return election;
        }
    }
}
