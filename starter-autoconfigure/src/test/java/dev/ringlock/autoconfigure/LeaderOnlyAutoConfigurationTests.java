package dev.ringlock.autoconfigure;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.leader.InvalidLeaderDeclarationException;
import dev.ringlock.leader.LeaderContext;
import dev.ringlock.leader.LeaderElection;
import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.LeaderOnly;
import dev.ringlock.leader.Leadership;
import dev.ringlock.local.LocalLeaderElectionProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @LeaderOnly} in an application: methods run on the leader and are skipped on a follower, and a
 * {@code SmartLifecycle} role is started on its grant and stopped on its revoke, with two instances (two
 * contexts, each with its own connection) on one real Redis server, or the local backend.
 */
class LeaderOnlyAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class, LeaderAutoConfiguration.class,
                    DataRedisAutoConfiguration.class, AopAutoConfiguration.class));

    /** Redis, with a lease far longer than any test: only a yield or a close moves the leadership. */
    private ApplicationContextRunner onRedis(String memberId) {
        return runner.withPropertyValues(redisProperties()).withPropertyValues("ringlock.backend=redis",
                "ringlock.leader.lease-time=10m", "ringlock.leader.member-id=" + memberId);
    }

    @Test
    void theMethodRunsOnTheLeaderIsSkippedOnTheFollowerAndMovesWhenTheLeaderCloses() {
        onRedis("a").withUserConfiguration(Reports.class).run(a -> {
            Leadership leading = awaitLeading(a, "reports");
            onRedis("b").withUserConfiguration(Reports.class).run(b -> {
                Leadership following = b.getBean(LeaderElection.class).join("reports");
                await().until(() -> following.leader().equals(Optional.of("a")));
                assertThat(a.getBean(Reports.class).report()).isEqualTo("a with term " + leading.term());
                assertThat(b.getBean(Reports.class).report()).isNull();
                a.close();
                await().until(following::isLeader);
                assertThat(b.getBean(Reports.class).report()).isEqualTo("b with term " + following.term());
                assertThat(following.term()).isGreaterThan(leading.term());
            });
        });
    }

    @Test
    void theRoleIsStartedOnGrantStoppedOnYieldAndNotStartedOnTheFollower() {
        onRedis("a").withUserConfiguration(FeedConsumer.class).run(a -> {
            FeedConsumer first = a.getBean(FeedConsumer.class);
            awaitLeading(a, "feed");
            await().until(first::isRunning);
            onRedis("b").withUserConfiguration(FeedConsumer.class).run(b -> {
                FeedConsumer second = b.getBean(FeedConsumer.class);
                Leadership following = b.getBean(LeaderElection.class).join("feed");
                await().until(() -> following.leader().equals(Optional.of("a")));
                assertThat(second.isRunning()).isFalse();
                assertThat(second.changes()).isEmpty();

                a.getBean(LeaderElection.class).join("feed").yieldLeadership();
                await().until(() -> !first.isRunning());
                await().until(second::isRunning);
                assertThat(following.isLeader()).isTrue();
                assertThat(first.changes()).containsExactly("start on ringlock-leader-roles",
                        "stop on ringlock-leader-roles");
                assertThat(second.changes()).containsExactly("start on ringlock-leader-roles");
            });
            // the second instance's close stopped its role and handed the group back
            await().until(first::isRunning);
            assertThat(first.changes()).hasSize(3).last().isEqualTo("start on ringlock-leader-roles");
        });
    }

    @Test
    void theContextNeitherStartsAFollowersRoleNorStartsItOnAnExplicitStart() {
        onRedis("a").withUserConfiguration(FeedConsumer.class).run(a -> {
            awaitLeading(a, "ignored-start");
            onRedis("b").withUserConfiguration(IgnoredStartConsumer.class).run(b -> {
                IgnoredStartConsumer follower = b.getBean(IgnoredStartConsumer.class);
                Leadership following = b.getBean(LeaderElection.class).join("ignored-start");
                await().until(() -> following.leader().isPresent());
                assertThat(follower.isAutoStartup()).isFalse();
                b.getSourceApplicationContext().start();
                assertThat(follower.isRunning()).isFalse();
                assertThat(follower.changes()).isEmpty();
            });
        });
    }

    @Test
    void onTheLocalBackendTheRoleRunsFromStartUpUntilClose() {
        List<FeedConsumer> roles = new CopyOnWriteArrayList<>();
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(FeedConsumer.class).run(context -> {
            FeedConsumer role = context.getBean(FeedConsumer.class);
            roles.add(role);
            assertThat(AopUtils.isCglibProxy(role)).as("class proxy, injectable as its class").isTrue();
            await().until(role::isRunning);
        });
        assertThat(roles.get(0).isRunning()).isFalse();
        assertThat(roles.get(0).changes()).containsExactly("start on ringlock-leader-roles",
                "stop on ringlock-leader-roles");
    }

    @Test
    void aRoleProxiedForItsOwnLeaderOnlyMethodIsNotStartedOnAFollower() {
        // two instances in one JVM: both contexts elect through the same local provider
        LocalLeaderElectionProvider shared = new LocalLeaderElectionProvider();
        ApplicationContextRunner sharing = runner.withPropertyValues("ringlock.backend=local")
                .withBean(LeaderElectionProvider.class, () -> shared).withUserConfiguration(StatusReportingRole.class);
        sharing.withPropertyValues("ringlock.leader.member-id=a").run(a -> {
            StatusReportingRole leading = a.getBean(StatusReportingRole.class);
            await().until(leading::isRunning);
            sharing.withPropertyValues("ringlock.leader.member-id=b").run(b -> {
                StatusReportingRole following = b.getBean(StatusReportingRole.class);
                assertThat(AopUtils.isAopProxy(following)).isTrue();
                assertThat(following.isRunning()).isFalse();
                assertThat(following.status()).isNull();
                assertThat(leading.status()).isEqualTo("a leads");
                a.close();
                await().until(following::isRunning);
                assertThat(following.status()).isEqualTo("b leads");
            });
        });
    }

    @Test
    void aRoleThatFailsToStartYieldsSoThatAnotherInstanceTakesIt() {
        LocalLeaderElectionProvider shared = new LocalLeaderElectionProvider();
        ApplicationContextRunner sharing = runner.withPropertyValues("ringlock.backend=local")
                .withBean(LeaderElectionProvider.class, () -> shared);
        sharing.withPropertyValues("ringlock.leader.member-id=healthy").withUserConfiguration(FailoverRole.class)
                .run(healthy -> {
                    FailoverRole waiting = healthy.getBean(FailoverRole.class);
                    Leadership candidacy = healthy.getBean(LeaderElection.class).join("failover");
                    await().until(candidacy::isLeader);
                    await().until(waiting::isRunning);
                    sharing.withPropertyValues("ringlock.leader.member-id=broken")
                            .withUserConfiguration(UnstartableRole.class).run(broken -> {
                                Leadership brokenCandidacy = broken.getBean(LeaderElection.class).join("failover");
                                assertThat(brokenCandidacy.leader()).contains("healthy");
                                candidacy.yieldLeadership();
                                // the broken one is granted, fails to start its role, and yields it back
                                await().until(() -> broken.getBean(UnstartableRole.class).attempts() == 1);
                                await().until(() -> candidacy.isLeader() && waiting.isRunning());
                                assertThat(brokenCandidacy.isLeader()).isFalse();
                                assertThat(waiting.changes()).hasSize(3);
                            });
                });
    }

    @Test
    void withoutClassProxiesARoleIsProxiedThroughItsInterfaces() {
        runner.withPropertyValues("ringlock.backend=local", "spring.aop.proxy-target-class=false")
                .withUserConfiguration(FeedConsumer.class).run(context -> {
                    SmartLifecycle role = context.getBean("leaderOnlyAutoConfigurationTests.FeedConsumer",
                            SmartLifecycle.class);
                    assertThat(AopUtils.isJdkDynamicProxy(role)).isTrue();
                    assertThat(role.isAutoStartup()).isFalse();
                    await().until(role::isRunning);
                });
    }

    @Test
    void aFinalRoleClassIsProxiedThroughItsInterfaces() {
        runner.withPropertyValues("ringlock.backend=local").withBean("finalRole", FinalRole.class).run(context -> {
            SmartLifecycle role = context.getBean("finalRole", SmartLifecycle.class);
            assertThat(AopUtils.isJdkDynamicProxy(role)).isTrue();
            await().until(role::isRunning);
        });
    }

    @Test
    void aTypeLevelAnnotationOnABeanThatIsNotASmartLifecycleIsRefusedNamingTheBean() {
        runner.withPropertyValues("ringlock.backend=local").withBean("plainReports", PlainReports.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidLeaderDeclarationException.class)
                    .hasMessageStartingWith("@LeaderOnly on bean 'plainReports' (" + PlainReports.class.getName() + ")")
                    .hasMessageContaining("must be a SmartLifecycle");
            FailureAnalysis analysis = StartupFailureAnalysis.of(context.getStartupFailure());
            assertThat(analysis.getAction()).isEqualTo("Correct the @LeaderOnly annotation on bean 'plainReports' ("
                    + PlainReports.class.getName() + ").");
        });
    }

    @Test
    void aBlankGroupOnARoleIsRefusedNamingTheBean() {
        runner.withPropertyValues("ringlock.backend=local").withBean("blankRole", BlankRole.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidLeaderDeclarationException.class)
                    .hasMessageStartingWith("@LeaderOnly on bean 'blankRole'")
                    .hasMessageContaining("'group' must not be blank");
        });
    }

    @Test
    void aBlankGroupOnAMethodIsRefusedNamingTheMethod() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(BlankGroup.class).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = StartupFailureAnalysis.of(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains(BlankGroup.class.getName() + ".run()",
                    "'group' must not be blank");
            assertThat(analysis.getAction())
                    .isEqualTo("Correct the @LeaderOnly annotation on " + BlankGroup.class.getName() + ".run().");
        });
    }

    @Test
    void aPrimitiveReturnTypeIsRefusedNamingTheMethod() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(PrimitiveCount.class).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = StartupFailureAnalysis.of(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains(PrimitiveCount.class.getName() + ".count()",
                    "int cannot be null");
            assertThat(analysis.getAction())
                    .isEqualTo("Correct the @LeaderOnly annotation on " + PrimitiveCount.class.getName() + ".count().");
        });
    }

    private static Leadership awaitLeading(AssertableApplicationContext context, String group) {
        Leadership leadership = context.getBean(LeaderElection.class).join(group);
        await().until(leadership::isLeader);
        return leadership;
    }

    @Component
    static class Reports {

        @LeaderOnly(group = "reports")
        public @Nullable String report() {
            Leadership leadership = LeaderContext.current().orElseThrow();
            return leadership.memberId() + " with term " + leadership.term();
        }
    }

    /** A role that records its starts and stops, and the thread each ran on. */
    @Component
    @LeaderOnly(group = "feed")
    static class FeedConsumer implements SmartLifecycle {

        private final List<String> changes = new CopyOnWriteArrayList<>();
        private volatile boolean running;

        @Override
        public void start() {
            changes.add("start on " + Thread.currentThread().getName());
            running = true;
        }

        @Override
        public void stop() {
            changes.add("stop on " + Thread.currentThread().getName());
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        public List<String> changes() {
            return List.copyOf(changes);
        }
    }

    @Component
    @LeaderOnly(group = "failover")
    static class FailoverRole extends FeedConsumer {
    }

    /** A role whose start always fails. */
    @Component
    @LeaderOnly(group = "failover")
    static class UnstartableRole extends FeedConsumer {

        private final AtomicInteger attempts = new AtomicInteger();

        @Override
        public void start() {
            attempts.incrementAndGet();
            throw new IllegalStateException("the queue is unreachable");
        }

        public int attempts() {
            return attempts.get();
        }
    }

    /** A role whose own leader-only method makes the auto-proxy creator proxy it before the role advice is added. */
    @Component
    @LeaderOnly(group = "status")
    static class StatusReportingRole extends FeedConsumer {

        @LeaderOnly(group = "status")
        public @Nullable String status() {
            return LeaderContext.current().orElseThrow().memberId() + " leads";
        }
    }

    @Component
    @LeaderOnly(group = "ignored-start")
    static class IgnoredStartConsumer extends FeedConsumer {
    }

    @LeaderOnly(group = "final")
    static final class FinalRole implements SmartLifecycle {

        private volatile boolean running;

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }

    @LeaderOnly(group = "plain")
    static class PlainReports {
    }

    @LeaderOnly(group = " ")
    static class BlankRole extends FeedConsumer {
    }

    @Component
    static class BlankGroup {

        @LeaderOnly(group = "")
        public void run() {
        }
    }

    @Component
    static class PrimitiveCount {

        @LeaderOnly(group = "counts")
        public int count() {
            return 1;
        }
    }
}
