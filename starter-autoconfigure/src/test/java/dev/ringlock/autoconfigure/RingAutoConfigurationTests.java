package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

import dev.ringlock.testsupport.TestClients;
import dev.ringlock.redis.RedisMembership;
import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.HashRing;
import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.Membership;
import dev.ringlock.ring.NoRouteException;
import dev.ringlock.ring.RingChange;
import dev.ringlock.ring.StaticMembership;
import dev.ringlock.zookeeper.ZooKeeperMembership;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Membership selection, the router's life cycle with the context, user beans and bad properties, against
 * real servers.
 */
class RingAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, RingAutoConfiguration.class));

    private final ApplicationContextRunner withRedis = runner
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

    private ApplicationContextRunner withServers() {
        return withRedis.withPropertyValues(redisProperties())
                .withPropertyValues("ringlock.key-prefix=ring-auto-config");
    }

    @Test
    void listedNodesMakeAStaticRing() {
        withServers().withPropertyValues("ringlock.ring.nodes=a,b,c").run(context -> {
            assertThat(context).hasSingleBean(StaticMembership.class).hasSingleBean(DefaultHashRingRouter.class);
            HashRingRouter router = context.getBean(HashRingRouter.class);
            assertThat(router.snapshot()).isEqualTo(HashRing.of(Set.of("a", "b", "c")));
            assertThat(router.route("tenant-1")).isEqualTo(HashRing.of(Set.of("a", "b", "c")).nodeFor("tenant-1"));
        });
    }

    @Test
    void redisMembershipJoinsOnStartAndLeavesOnClose() {
        LettuceConnectionFactory adminFactory = TestClients.redis(redis.host(), redis.port());
        try {
            StringRedisTemplate admin = new StringRedisTemplate(adminFactory);
            withServers().withPropertyValues("ringlock.backend=redis", "ringlock.ring.self-id=instance-a").run(context -> {
                assertThat(context).hasSingleBean(RedisMembership.class);
                HashRingRouter router = context.getBean(HashRingRouter.class);
                assertThat(router.snapshot().nodes()).containsExactly("instance-a");
                assertThat(admin.opsForZSet().range("ring-auto-config:ring:members", 0, -1))
                        .containsExactly("instance-a");
            });
            assertThat(admin.opsForZSet().range("ring-auto-config:ring:members", 0, -1)).isEmpty();
        }
        finally {
            adminFactory.destroy();
        }
    }

    @Test
    void zookeeperMembershipFollowsTheConnectStringAndTwoContextsSeeEachOther() {
        ApplicationContextRunner zk = withServers().withPropertyValues(zookeeperConnect());
        zk.withPropertyValues("ringlock.ring.self-id=instance-a").run(first -> {
            assertThat(first).hasSingleBean(ZooKeeperMembership.class);
            zk.withPropertyValues("ringlock.ring.self-id=instance-b").run(second -> {
                HashRingRouter a = first.getBean(HashRingRouter.class);
                await().atMost(Duration.ofSeconds(2))
                        .untilAsserted(() -> assertThat(a.snapshot().nodes()).containsExactly("instance-a", "instance-b"));
                assertThat(second.getBean(HashRingRouter.class).snapshot().nodes())
                        .containsExactly("instance-a", "instance-b");
            });
            HashRingRouter a = first.getBean(HashRingRouter.class);
            await().atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(a.snapshot().nodes()).containsExactly("instance-a"));
        });
    }

    @Test
    void theRingBackendOverridesTheGlobalOne() {
        withServers().withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(), "ringlock.ring.backend=redis")
                .run(context -> assertThat(context).hasSingleBean(RedisMembership.class)
                        .doesNotHaveBean(ZooKeeperMembership.class));
    }

    @Test
    void theMembershipPropertyOverridesListedNodesAndTheBackend() {
        withServers().withPropertyValues("ringlock.backend=redis", zookeeperConnect(), "ringlock.ring.nodes=a,b",
                "ringlock.ring.membership=zookeeper").run(context -> assertThat(context)
                        .hasSingleBean(ZooKeeperMembership.class).doesNotHaveBean(StaticMembership.class));
    }

    @Test
    void theLocalBackendGivesAStaticRingOfTheNodesAndThisInstance() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.ring.self-id=me").run(context -> {
            assertThat(context).hasSingleBean(StaticMembership.class);
            assertThat(context.getBean(HashRingRouter.class).snapshot().nodes()).containsExactly("me");
        });
    }

    @Test
    void withoutAnyBackendTheRingFailsNamingWhatToSet() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                    .hasMessageContaining("ring").hasMessageContaining("ringlock.ring.nodes");
        });
    }

    @Test
    void theRingCanBeTurnedOff() {
        withServers().withPropertyValues("ringlock.backend=redis", "ringlock.ring.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HashRingRouter.class)
                        .doesNotHaveBean(Membership.class));
    }

    @Test
    void anEmptyRingNamesTheKeyItCannotRoute() {
        runner.withPropertyValues("ringlock.backend=local").run(context -> assertThatThrownBy(
                () -> context.getBean(HashRingRouter.class).route("order-9")).isInstanceOf(NoRouteException.class)
                        .hasMessageContaining("'order-9'"));
    }

    @Test
    void usersMembershipAndRouterWin() {
        Membership custom = new StaticMembership(Set.of("custom"));
        runner.withBean(Membership.class, () -> custom).run(context -> {
            assertThat(context).doesNotHaveBean(StaticMembership.class.getName() + "#staticMembership");
            assertThat(context.getBean(HashRingRouter.class).snapshot().nodes()).containsExactly("custom");
        });
        HashRingRouter router = new HashRingRouter() {
            public String route(String key) {
                return "mine";
            }

            public java.util.List<String> route(String key, int count) {
                return java.util.List.of("mine");
            }

            public HashRing snapshot() {
                return HashRing.of(Set.of("mine"));
            }

            public void addListener(Consumer<RingChange> listener) {
            }
        };
        runner.withPropertyValues("ringlock.backend=local").withBean(HashRingRouter.class, () -> router)
                .run(context -> assertThat(context.getBean(HashRingRouter.class)).isSameAs(router));
    }

    @Test
    void badRingPropertiesFailNamingTheProperty() {
        runner.withPropertyValues("ringlock.ring.nodes=a,,b").run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("'ringlock.ring.nodes[1]' must not be blank"));
        runner.withPropertyValues("ringlock.ring.nodes=a,b,a").run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("'ringlock.ring.nodes' lists 'a' twice"));
        runner.withPropertyValues("ringlock.backend=local", "ringlock.ring.member-timeout=-1s")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("ringlock.ring.member-timeout"));
        runner.withPropertyValues("ringlock.backend=local", "ringlock.ring.self-id=${NO_SUCH_VARIABLE_HERE}:8080")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("'ringlock.ring.self-id' has an unresolved placeholder"));
        runner.withPropertyValues("ringlock.ring.membership=etcd").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("ringlock.ring.membership"));
    }
}
