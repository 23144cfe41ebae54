package dev.ringlock.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample instances against one ZooKeeper and one Redis of their own ({@code sample.embedded=false}), as
 * the README runs them with docker compose: they form one ring, agree on every route, pay shared orders
 * exactly once between them, and elect one leader of the report group, whose role moves when it stops.
 */
// the last test stops an instance; the others need both
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoSampleInstancesIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension(RedisServerProcess::start);

    private static ConfigurableApplicationContext alpha;
    private static ConfigurableApplicationContext beta;

    @BeforeAll
    static void startInstances() {
        alpha = startInstance("alpha");
        beta = startInstance("beta");
    }

    @AfterAll
    static void stopInstances() {
        for (ConfigurableApplicationContext closeable : new ConfigurableApplicationContext[] {beta, alpha}) {
            try {
                if (closeable != null && closeable.isActive()) {
                    closeable.close();
                }
            }
            catch (Exception ex) {
                throw new IllegalStateException("Could not stop " + closeable, ex);
            }
        }
    }

    @Test
    @Order(1)
    void bothInstancesSeeOneRingOfTwoAndAgreeOnEveryRoute() {
        for (ConfigurableApplicationContext instance : List.of(alpha, beta)) {
            await().atMost(TIMEOUT).until(() -> http(instance).get("/api/ring").<List<String>>read("$.members[*].id"),
                    members -> members.equals(List.of("alpha", "beta")));
        }
        for (int i = 0; i < 20; i++) {
            String key = "tenant-" + i;
            SampleHttp.Answer fromAlpha = http(alpha).get("/route/" + key);
            SampleHttp.Answer fromBeta = http(beta).get("/route/" + key);
            String owner = fromAlpha.read("$.owner");
            assertThat(fromBeta.<String>read("$.owner")).as(key).isEqualTo(owner);
            assertThat(fromAlpha.<Boolean>read("$.local")).as(key).isEqualTo(owner.equals("alpha"));
            assertThat(fromBeta.<Boolean>read("$.local")).as(key).isEqualTo(owner.equals("beta"));
        }
    }

    @Test
    @Order(2)
    void demosOnBothInstancesAtOnceOnTheSameOrdersPayEachOrderOnce() {
        String orders = "/demo?orders=shared-1,shared-2,shared-3";
        CompletableFuture<SampleHttp.Answer> onAlpha = CompletableFuture.supplyAsync(() -> http(alpha).post(orders));
        CompletableFuture<SampleHttp.Answer> onBeta = CompletableFuture.supplyAsync(() -> http(beta).post(orders));
        assertThat(onAlpha.join().status()).isEqualTo(202);
        assertThat(onBeta.join().status()).isEqualTo(202);

        SampleHttp.Answer alphaResult = awaitDemoFinished(alpha);
        SampleHttp.Answer betaResult = awaitDemoFinished(beta);

        assertThat(alphaResult.readLong("$.result.payments") + betaResult.readLong("$.result.payments")).isEqualTo(3);
        assertThat(alphaResult.readLong("$.result.sectionsRun") + betaResult.readLong("$.result.sectionsRun"))
                .isEqualTo(240);
        for (SampleHttp.Answer result : List.of(alphaResult, betaResult)) {
            assertThat(result.readLong("$.result.doublePayments")).isZero();
            assertThat(result.readLong("$.result.staleTokensRejected")).isZero();
            assertThat(result.readLong("$.result.lockTimeouts")).isZero();
            assertThat(result.readLong("$.result.errors")).isZero();
        }
        for (String order : List.of("shared-1", "shared-2", "shared-3")) {
            assertThat(http(alpha).get("/api/orders/" + order).readLong("$.payments")).as(order).isEqualTo(1);
            assertThat(http(beta).get("/api/orders/" + order).readLong("$.payments")).as(order).isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    void exactlyOneInstanceLeadsTheReportGroupAndBothSeeIt() {
        String leader = awaitOneLeader(List.of(alpha, beta));

        for (ConfigurableApplicationContext instance : List.of(alpha, beta)) {
            String id = instanceId(instance);
            await().atMost(TIMEOUT).until(() -> http(instance).get("/api/jobs"),
                    jobs -> leader.equals(jobs.read("$.leader.leader")));
            SampleHttp.Answer jobs = http(instance).get("/api/jobs");
            assertThat(jobs.<Boolean>read("$.leader.leading")).as(id).isEqualTo(id.equals(leader));
        }
    }

    @Test
    @Order(4)
    void stoppingTheLeaderMovesTheRoleAndTheRingShrinks() {
        String leader = awaitOneLeader(List.of(alpha, beta));
        ConfigurableApplicationContext stopping = leader.equals("alpha") ? alpha : beta;
        ConfigurableApplicationContext staying = stopping == alpha ? beta : alpha;
        long stoppedTerm = http(stopping).get("/api/jobs").readLong("$.leader.term");

        stopping.close();

        String stayingId = instanceId(staying);
        SampleHttp.Answer jobs = await().atMost(TIMEOUT).until(() -> http(staying).get("/api/jobs"),
                answer -> answer.<Boolean>read("$.leader.leading"));
        assertThat(jobs.<String>read("$.leader.leader")).isEqualTo(stayingId);
        assertThat(jobs.readLong("$.leader.term")).isGreaterThan(stoppedTerm);
        await().atMost(TIMEOUT).until(() -> http(staying).get("/api/ring").<List<String>>read("$.members[*].id"),
                members -> members.equals(List.of(stayingId)));
        assertThat(http(staying).get("/route/tenant-1").<Boolean>read("$.local")).isTrue();
    }

    /** Waits until exactly one of {@code instances} says it leads group {@code reports}, and returns its id. */
    private static String awaitOneLeader(List<ConfigurableApplicationContext> instances) {
        List<String> leaders = await().atMost(TIMEOUT).until(() -> instances.stream()
                .filter(instance -> http(instance).get("/api/jobs").<Boolean>read("$.leader.leading"))
                .map(TwoSampleInstancesIntegrationTests::instanceId).toList(), found -> found.size() == 1);
        return leaders.get(0);
    }

    private static String instanceId(ConfigurableApplicationContext instance) {
        return instance.getEnvironment().getRequiredProperty("sample.instance-id");
    }

    private static ConfigurableApplicationContext startInstance(String id) {
        return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class).run(
                "--server.port=0",
                "--sample.embedded=false",
                "--sample.instance-id=" + id,
                "--sample.demo.run-at-startup=false",
                "--sample.demo.attempts-per-order=40",
                "--ringlock.zookeeper.connect-string=" + zookeeper.connectString(),
                "--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port());
    }

    private static SampleHttp http(ConfigurableApplicationContext instance) {
        return new SampleHttp(instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    private static SampleHttp.Answer awaitDemoFinished(ConfigurableApplicationContext instance) {
        SampleHttp.Answer answer = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> http(instance).get("/demo"), status -> !"running".equals(status.read("$.state")));
        assertThat(answer.<String>read("$.state")).isEqualTo("finished");
        return answer;
    }
}
