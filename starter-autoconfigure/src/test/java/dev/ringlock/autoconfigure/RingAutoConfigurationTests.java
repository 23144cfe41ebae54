package dev.ringlock.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import dev.ringlock.ring.RingRoute;
import dev.ringlock.ring.StaticMembership;
import dev.ringlock.zookeeper.ZooKeeperMembership;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.io.support.SpringFactoriesLoader;
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
@ExtendWith(OutputCaptureExtension.class)
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
    void theRouteIsSlotsUnlessRendezvousIsSet() {
        withServers().withPropertyValues("ringlock.ring.nodes=a,b,c").run(context -> {
            HashRing ring = context.getBean(HashRingRouter.class).snapshot();
            assertThat(ring.route()).isEqualTo(RingRoute.SLOTS);
            assertThat(ring).isEqualTo(HashRing.of(Set.of("a", "b", "c"), RingRoute.SLOTS));
        });
        withServers().withPropertyValues("ringlock.ring.nodes=a,b,c", "ringlock.ring.route=rendezvous").run(context -> {
            HashRingRouter router = context.getBean(HashRingRouter.class);
            HashRing v1 = HashRing.of(Set.of("a", "b", "c"), RingRoute.RENDEZVOUS);
            assertThat(router.snapshot()).isEqualTo(v1);
            for (int k = 0; k < 1_000; k++) {
                assertThat(router.route("tenant-" + k)).isEqualTo(v1.nodeFor("tenant-" + k));
            }
        });
    }

    @Test
    void anUnknownRouteFailsThroughAnAnalysisNamingTheProperty() {
        runner.withPropertyValues("ringlock.ring.nodes=a", "ringlock.ring.route=ketama").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analysisOf(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("ringlock.ring.route", "ketama");
            assertThat(analysis.getAction()).contains("RENDEZVOUS", "SLOTS");
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
    void theRingBackendNamesZooKeeper() {
        withServers().withPropertyValues("ringlock.backend=redis", zookeeperConnect(), "ringlock.ring.backend=zookeeper")
                .run(context -> assertThat(context).hasSingleBean(ZooKeeperMembership.class)
                        .doesNotHaveBean(RedisMembership.class).doesNotHaveBean(StaticMembership.class));
    }

    @Test
    void theRingBackendLocalIsAStaticRingOfTheNodes() {
        withServers().withPropertyValues("ringlock.backend=redis", "ringlock.ring.backend=local", "ringlock.ring.nodes=a,b")
                .run(context -> {
                    assertThat(context).hasSingleBean(StaticMembership.class).doesNotHaveBean(RedisMembership.class);
                    assertThat(context.getBean(HashRingRouter.class).snapshot().nodes()).containsExactly("a", "b");
                });
    }

    @Test
    void listedNodesMakeAStaticRingWhateverTheGlobalBackend() {
        withServers().withPropertyValues("ringlock.backend=redis", "ringlock.ring.nodes=a,b")
                .run(context -> assertThat(context).hasSingleBean(StaticMembership.class)
                        .doesNotHaveBean(RedisMembership.class));
    }

    @Test
    void listedNodesMakeAStaticRingWhateverTheRingBackend() {
        withServers().withPropertyValues("ringlock.ring.backend=redis", "ringlock.ring.nodes=a,b")
                .run(context -> assertThat(context).hasSingleBean(StaticMembership.class)
                        .doesNotHaveBean(RedisMembership.class));
    }

    @Test
    void theDeprecatedMembershipPropertyStillChoosesTheBackendAndSaysWhatReplacesIt(CapturedOutput output) {
        withServers().withPropertyValues("ringlock.backend=redis", zookeeperConnect(), "ringlock.ring.nodes=a,b",
                "ringlock.ring.membership=zookeeper").run(context -> assertThat(context)
                        .hasSingleBean(ZooKeeperMembership.class).doesNotHaveBean(StaticMembership.class));
        withServers().withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.ring.membership=redis").run(context -> assertThat(context)
                        .hasSingleBean(RedisMembership.class).doesNotHaveBean(ZooKeeperMembership.class));
        runner.withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(), "ringlock.ring.nodes=a",
                "ringlock.ring.membership=static").run(context -> assertThat(context)
                        .hasSingleBean(StaticMembership.class).doesNotHaveBean(ZooKeeperMembership.class));
        assertThat(output.getAll().lines().filter(line -> line.contains("'ringlock.ring.membership' is deprecated")))
                .hasSize(3).allSatisfy(line -> assertThat(line).contains("WARN", "set 'ringlock.ring.backend' instead"));
        assertThat(output.getAll().lines().filter(line -> line.contains("'ringlock.ring.membership' is deprecated")))
                .anySatisfy(line -> assertThat(line).endsWith("Read as: static"));
    }

    @Test
    void theDeprecatedMembershipPropertyIsDeprecatedInTheMetadata() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            DocumentContext metadata = JsonPath.parse(in);
            List<Map<String, Object>> membership = metadata.read("$.properties[?(@.name == 'ringlock.ring.membership')]");
            assertThat(membership).singleElement().satisfies(property -> {
                assertThat(property).containsEntry("deprecated", true);
                assertThat(property.get("deprecation")).asInstanceOf(InstanceOfAssertFactories.MAP)
                        .containsEntry("replacement", "ringlock.ring.backend");
            });
        }
    }

    @Test
    void anUnknownRingBackendFailsThroughAnAnalysisNamingTheProperty() {
        runner.withPropertyValues("ringlock.ring.backend=etcd").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analysisOf(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("ringlock.ring.backend", "etcd");
            assertThat(analysis.getAction()).contains("REDIS", "ZOOKEEPER", "LOCAL");
        });
        runner.withPropertyValues("ringlock.ring.membership=etcd").run(context -> {
            assertThat(context).hasFailed();
            assertThat(analysisOf(context.getStartupFailure()).getDescription()).contains("ringlock.ring.membership",
                    "must be static, zookeeper or redis, was 'etcd'", "set 'ringlock.ring.backend'");
        });
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
    }

    /** The analysis that Spring Boot would print for a start-up failure, from every registered analyzer. */
    private static FailureAnalysis analysisOf(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader
                .forDefaultResourceLocation(RingAutoConfigurationTests.class.getClassLoader())
                .load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
                    // analyzers that need the application's context to be built are not the ones under test
                }));
        AnnotationAwareOrderComparator.sort(analyzers);
        return analyzers.stream().map(analyzer -> analyzer.analyze(failure)).filter(Objects::nonNull).findFirst()
                .orElseThrow(() -> new AssertionError("No failure analysis for " + failure, failure));
    }
}
