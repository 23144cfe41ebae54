package dev.ringlock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * The server extensions give a test class one real server: started before its {@code @BeforeAll} methods, the
 * same for each of its tests and its {@code @Nested} classes, stopped after its last test; a second class gets a
 * server of its own, and nothing stays running. The classes below are run here through the JUnit Platform
 * launcher (surefire skips nested classes), and record what their tests saw.
 */
class TestServerExtensionTests {

    /** Per subject class: the servers its @BeforeAll method and tests saw, in order. */
    private static final Map<String, List<Object>> seen = new ConcurrentHashMap<>();

    /** Whether the server of the first subclass of {@link SharedBySubclasses} still ran when the second started. */
    private static final List<Boolean> earlierStillRunning = new CopyOnWriteArrayList<>();

    private static void record(String subject, Object server) {
        seen.computeIfAbsent(subject, s -> new CopyOnWriteArrayList<>()).add(server);
    }

    @Test
    void aRedisServerStartsBeforeTheClassAndServesEveryTestAndNestedClassThenStops() {
        seen.clear();

        TestExecutionSummary summary = run(RedisSubject.class);

        assertThat(summary.getTotalFailureCount()).as("failures: %s", summary.getFailures()).isZero();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
        List<Object> servers = seen.get("redis");
        assertThat(servers).as("@BeforeAll, two tests, one nested test").hasSize(4);
        assertThat(servers).allSatisfy(server -> assertThat(server).isSameAs(servers.get(0)));
        RedisTestServer server = (RedisTestServer) servers.get(0);
        assertThat(RedisSubject.redis.isRunning()).isFalse();
        assertThatThrownBy(() -> RespClient.call(server.host(), server.port(), "PING"))
                .as("the server is stopped after the class").isInstanceOf(UncheckedIOException.class);
        assertThatIllegalStateException().isThrownBy(RedisSubject.redis::server).withMessageContaining("@RegisterExtension");
    }

    @Test
    void aSecondClassGetsAServerOfItsOwnAndBothAreStoppedAfterwards() {
        seen.clear();

        TestExecutionSummary summary = run(RedisSubject.class, ZooKeeperSubject.class);

        assertThat(summary.getTotalFailureCount()).as("failures: %s", summary.getFailures()).isZero();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(4);
        RedisTestServer redis = (RedisTestServer) seen.get("redis").get(0);
        ZooKeeperTestServer zookeeper = (ZooKeeperTestServer) seen.get("zookeeper").get(0);
        assertThat(seen.get("zookeeper")).hasSize(1);
        assertThatThrownBy(() -> RespClient.call(redis.host(), redis.port(), "PING")).isInstanceOf(UncheckedIOException.class);
        assertThat(ZooKeeperSubject.zookeeper.isRunning()).isFalse();
        String[] hostAndPort = zookeeper.connectString().split(":");
        assertThatThrownBy(() -> connect(hostAndPort[0], Integer.parseInt(hostAndPort[1])))
                .as("the ZooKeeper server is stopped after the class").isInstanceOf(IOException.class);
    }

    @Test
    void anExtensionOnASuperclassGivesEachSubclassItsOwnServerOneAfterTheOther() {
        seen.clear();
        earlierStillRunning.clear();

        TestExecutionSummary summary = run(FirstSubclass.class, SecondSubclass.class);

        assertThat(summary.getTotalFailureCount()).as("failures: %s", summary.getFailures()).isZero();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        Object first = seen.get("shared").get(0);
        Object second = seen.get("shared").get(1);
        assertThat(second).isNotSameAs(first);
        assertThat(earlierStillRunning).containsExactly(false);
        assertThat(((CountingServer) first).closed).isEqualTo(1);
        assertThat(((CountingServer) second).closed).isEqualTo(1);
    }

    private static TestExecutionSummary run(Class<?>... classes) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        var builder = request();
        for (Class<?> type : classes) {
            builder.selectors(selectClass(type));
        }
        launcher.execute(builder.build(), listener);
        return listener.getSummary();
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
        }
    }

    // ----------------------------------------------------------------- the subjects

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class RedisSubject {

        @RegisterExtension
        static final RedisServerExtension redis = new RedisServerExtension();

        @BeforeAll
        static void serverRunsBeforeAll() {
            record("redis", redis.server());
            assertThat(RespClient.call(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
        }

        @Test
        @Order(1)
        void first() {
            record("redis", redis.server());
            assertThat(RespClient.call(redis.host(), redis.port(), "SET", "k", "v")).isEqualTo("OK");
        }

        @Test
        @Order(2)
        void second() {
            record("redis", redis.server());
            assertThat(RespClient.call(redis.host(), redis.port(), "GET", "k")).as("same server as the first test")
                    .isEqualTo("v");
        }

        @Nested
        class Inner {

            @Test
            void sharesTheServer() {
                record("redis", redis.server());
                assertThat(RespClient.call(redis.host(), redis.port(), "GET", "k")).isEqualTo("v");
            }
        }
    }

    static class ZooKeeperSubject {

        @RegisterExtension
        static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();

        @Test
        void answers() throws Exception {
            record("zookeeper", zookeeper.server());
            String[] hostAndPort = zookeeper.connectString().split(":");
            connect(hostAndPort[0], Integer.parseInt(hostAndPort[1]));
        }
    }

    /** A server that counts its closes. */
    static final class CountingServer implements AutoCloseable {

        volatile int closed;

        @Override
        public void close() {
            closed++;
        }
    }

    abstract static class SharedBySubclasses {

        private static volatile CountingServer last;

        @RegisterExtension
        static final TestServerExtension<CountingServer> server = TestServerExtension.of(CountingServer::new);

        @Test
        void seesItsOwnServer() {
            if (last != null) {
                earlierStillRunning.add(last.closed == 0);
            }
            last = server.server();
            record("shared", server.server());
        }
    }

    static class FirstSubclass extends SharedBySubclasses {
    }

    static class SecondSubclass extends SharedBySubclasses {
    }
}
