package dev.ringlock.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample app once per subclass, on its embedded ZooKeeper and Redis and a random port, and calls
 * every endpoint over HTTP. Each subclass names the backend its profile selects.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.instance-id=sample-under-test")
// stop this class's app, and with it its embedded servers, before the next class starts its own
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
abstract class AbstractSampleAppIntegrationTests {

    /** Generous: the machine running the build may be busy. */
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(3);

    @LocalServerPort
    private int port;

    @Autowired
    private LockTemplate locks;

    private SampleHttp http;

    /** The backend every feature is expected to run on. */
    abstract String backend();

    @BeforeEach
    void client() {
        http = new SampleHttp(port);
    }

    @Test
    void thePageIsServedAndCountedAsAView() {
        long before = http.get("/api/counters").readLong("$.pageViews");

        SampleHttp.Answer page = http.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Ringlock sample</title>", "id=\"demo-button\"", "app.js");
        assertThat(http.get("/app.js").status()).isEqualTo(200);
        assertThat(http.get("/api/counters").readLong("$.pageViews")).isEqualTo(before + 1);
    }

    @Test
    void everyFeatureRunsOnTheProfilesBackend() {
        SampleHttp.Answer instance = http.get("/api/instance");

        assertThat(instance.<String>read("$.id")).isEqualTo("sample-under-test");
        assertThat(instance.<Object>read("$.backends")).isEqualTo(
                Map.of("lock", backend(), "counter", backend(), "ring", backend(), "leader", backend()));
        assertThat(instance.<Boolean>read("$.embeddedServers")).isTrue();
    }

    @Test
    void theRingHasThisInstanceAndRoutesEveryKeyToIt() {
        SampleHttp.Answer ring = http.get("/api/ring");
        assertThat(ring.<String>read("$.self")).isEqualTo("sample-under-test");
        assertThat(ring.<List<String>>read("$.members[*].id")).containsExactly("sample-under-test");
        assertThat(ring.readDouble("$.members[0].share")).isEqualTo(1.0);

        SampleHttp.Answer route = http.get("/route/tenant-42");

        assertThat(route.status()).isEqualTo(200);
        assertThat(route.<String>read("$.key")).isEqualTo("tenant-42");
        assertThat(route.<String>read("$.owner")).isEqualTo("sample-under-test");
        assertThat(route.<Boolean>read("$.local")).isTrue();
        assertThat(route.<List<String>>read("$.preference")).containsExactly("sample-under-test");
    }

    @Test
    void theOnlyInstanceLeadsTheReportGroupAndRunsTheReportUnderItsTerm() {
        SampleHttp.Answer jobs = await().atMost(DEMO_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/api/jobs"), answer -> answer.read("$.report.lastRunHere") != null);

        assertThat(jobs.<String>read("$.leader.group")).isEqualTo("reports");
        assertThat(jobs.<String>read("$.leader.self")).isEqualTo("sample-under-test");
        assertThat(jobs.<String>read("$.leader.leader")).isEqualTo("sample-under-test");
        assertThat(jobs.<Boolean>read("$.leader.leading")).isTrue();
        assertThat(jobs.readLong("$.leader.term")).isPositive();
        assertThat(jobs.readLong("$.report.lastRunHere.fence")).isEqualTo(jobs.readLong("$.leader.term"));
        assertThat(jobs.readLong("$.report.runs")).isGreaterThanOrEqualTo(jobs.readLong("$.report.lastRunHere.runs"));
    }

    @Test
    void theDigestJobRanUnderItsLock() {
        SampleHttp.Answer jobs = await().atMost(DEMO_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/api/jobs"), answer -> answer.read("$.digest.lastRunHere") != null);

        assertThat(jobs.<String>read("$.digestHoldAtLeast")).isEqualTo("10s");
        assertThat(jobs.readLong("$.digest.lastRunHere.fence")).isPositive();
        assertThat(jobs.readLong("$.digest.runs")).isPositive();
    }

    @Test
    void demoRanAtStartupAndRunsAgainOnRequestWithoutDoublePayments() {
        // the start-up run; no other test starts one
        SampleHttp.Answer startup = awaitDemoNotRunning();
        assertThat(startup.<String>read("$.state")).isEqualTo("finished");
        assertThat(startup.readLong("$.result.doublePayments")).isZero();

        SampleHttp.Answer started = http.post("/demo");
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.<String>read("$.state")).isEqualTo("running");
        assertThat(started.readLong("$.total")).isEqualTo(200);
        List<String> orders = started.read("$.orders");
        assertThat(orders).hasSize(5).doesNotContainAnyElementsOf(startup.read("$.orders"));
        SampleHttp.Answer second = http.post("/demo");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.<String>read("$.detail")).contains("in progress");

        SampleHttp.Answer finished = awaitDemoNotRunning();

        assertThat(finished.<String>read("$.state")).isEqualTo("finished");
        assertThat(finished.<List<String>>read("$.orders")).isEqualTo(orders);
        assertThat(finished.readLong("$.done")).isEqualTo(200);
        assertThat(finished.<String>read("$.backend")).isEqualTo(backend());
        assertThat(finished.readLong("$.result.attempts")).isEqualTo(200);
        assertThat(finished.readLong("$.result.sectionsRun")).isEqualTo(200);
        assertThat(finished.readLong("$.result.payments")).isEqualTo(5);
        assertThat(finished.readLong("$.result.alreadyPaid")).isEqualTo(195);
        assertThat(finished.readLong("$.result.doublePayments")).isZero();
        assertThat(finished.readLong("$.result.tokensIssued")).isEqualTo(200);
        assertThat(finished.readLong("$.result.staleTokensRejected")).isZero();
        assertThat(finished.readLong("$.result.lockTimeouts")).isZero();
        assertThat(finished.readLong("$.result.errors")).isZero();
        assertThat(finished.<String>read("$.summary")).contains("0 double payments");
        // the ledger, checked on its own: each order paid exactly once
        for (String order : orders) {
            assertThat(http.get("/api/orders/" + order).readLong("$.payments")).as(order).isEqualTo(1);
        }
        // both runs' 400 lock acquisitions, timed by the starter's observations
        SampleHttp.Answer acquired = http.get("/actuator/metrics/ringlock.lock.acquire?tag=outcome:acquired&tag=backend:"
                + backend());
        assertThat(acquired.status()).isEqualTo(200);
        assertThat(count(acquired)).isGreaterThanOrEqualTo(400);
    }

    @Test
    void theRinglockEndpointShowsBackendsHeldLocksAndTheRing() {
        Map<String, String> expectedBackends = Map.of("lock", backend(), "counter", backend(), "ring", backend());
        SampleHttp.Answer held;
        long token;
        try (LockHandle lock = locks.acquire("order:held-by-test", Duration.ofSeconds(30))) {
            token = lock.fencingToken();
            held = http.get("/actuator/ringlock");
        }

        assertThat(held.status()).isEqualTo(200);
        assertThat(held.<Object>read("$.backends")).isEqualTo(expectedBackends);
        assertThat(held.<List<Object>>read("$.locks[?(@.key == 'order:held-by-test')].fencingToken"))
                .singleElement().satisfies(value -> assertThat(((Number) value).longValue()).isEqualTo(token));
        assertThat(held.<List<Boolean>>read("$.locks[?(@.key == 'order:held-by-test')].valid")).containsExactly(true);
        assertThat(held.<String>read("$.ring.self")).isEqualTo("sample-under-test");
        assertThat(held.<List<String>>read("$.ring.members[*].id")).containsExactly("sample-under-test");
        assertThat(held.readDouble("$.ring.members[0].share")).isEqualTo(1.0);
        assertThat(held.<List<List<String>>>read("$.ring.changes[*].added")).contains(List.of("sample-under-test"));
        // released: no longer listed
        SampleHttp.Answer after = http.get("/actuator/ringlock");
        assertThat(after.<List<String>>read("$.locks[*].key")).doesNotContain("order:held-by-test");
    }

    @Test
    void anOrderIsPaidOnceAndEachAttemptCarriesANewerToken() {
        String orderId = http.post("/api/orders").read("$.orderId");

        SampleHttp.Answer first = http.post("/api/orders/" + orderId + "/payment");
        SampleHttp.Answer again = http.post("/api/orders/" + orderId + "/payment");

        assertThat(first.<Boolean>read("$.paid")).isTrue();
        assertThat(again.<Boolean>read("$.paid")).isFalse();
        assertThat(again.readLong("$.payments")).isEqualTo(1);
        assertThat(again.readLong("$.fencingToken")).isGreaterThan(first.readLong("$.fencingToken"));
        SampleHttp.Answer order = http.get("/api/orders/" + orderId);
        assertThat(order.readLong("$.payments")).isEqualTo(1);
        assertThat(order.readLong("$.lastFencingToken")).isEqualTo(again.readLong("$.fencingToken"));
    }

    @Test
    void orderNumbersComeFromTheSharedSequence() {
        String first = http.post("/api/orders").read("$.orderId");
        String second = http.post("/api/orders").read("$.orderId");

        long firstNumber = Long.parseLong(first.substring("ORD-".length()));
        assertThat(second).isEqualTo("ORD-" + (firstNumber + 1));
        SampleHttp.Answer counters = http.get("/api/counters");
        assertThat(counters.<String>read("$.lastOrderId")).isEqualTo(second);
        assertThat(counters.readLong("$.orderNumbersReserved")).isGreaterThanOrEqualTo(firstNumber + 1);
    }

    @Test
    void badInputIsRefusedNamingWhatToFix() {
        SampleHttp.Answer demo = http.post("/demo?orders=ok,not%20ok");
        assertThat(demo.status()).isEqualTo(400);
        assertThat(demo.<String>read("$.detail")).contains("'orders'", "'not ok'");

        SampleHttp.Answer order = http.get("/api/orders/" + "x".repeat(65));
        assertThat(order.status()).isEqualTo(400);
        assertThat(order.<String>read("$.detail")).contains("'orderId'");
    }

    @Test
    void countersAreObserved() {
        http.post("/api/orders");

        SampleHttp.Answer metric = http.get("/actuator/metrics/ringlock.counter?tag=backend:" + backend());

        assertThat(metric.status()).isEqualTo(200);
        assertThat(count(metric)).isPositive();
    }

    @Test
    void healthIsUpWithRedisAndZooKeeper() {
        SampleHttp.Answer health = http.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.<String>read("$.status")).isEqualTo("UP");
        assertThat(health.<String>read("$.components.redis.status")).isEqualTo("UP");
        assertThat(health.<String>read("$.components.zookeeper.status")).isEqualTo("UP");
    }

    /** The COUNT statistic of a {@code /actuator/metrics/...} answer. */
    private static double count(SampleHttp.Answer metric) {
        List<Number> counts = metric.read("$.measurements[?(@.statistic == 'COUNT')].value");
        assertThat(counts).hasSize(1);
        return counts.get(0).doubleValue();
    }

    private SampleHttp.Answer awaitDemoNotRunning() {
        return await().atMost(DEMO_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> http.get("/demo"), answer -> !"running".equals(answer.read("$.state")));
    }
}
