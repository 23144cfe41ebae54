package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.FencedRedisResource;
import dev.ringlock.FrozenHolderMain;
import dev.ringlock.FrozenHolderProcess;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.TestServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ZooKeeper lock holder in another JVM ({@link FrozenHolderMain}) frozen with SIGSTOP for longer than its
 * session timeout and then thawed with SIGCONT: the server has expired its session and the lock has gone to a
 * holder in this JVM. The thawed holder must know at once that its lock is no longer valid, before any
 * connection event; the write it makes anyway is refused by the resource (a Redis hash that checks fencing
 * tokens).
 */
@Tag("fault")
class ZooKeeperFrozenHolderProcessTests {

    private static final String PREFIX = "ringlock-frozen";
    private static final int SESSION_TIMEOUT_MS = 2000;

    static {
        System.setProperty("zookeeper.forceSync", "no");
    }

    /** A short tick, so the server grants (and enforces) a 2 s session; the default 3 s tick allows 6 s at least. */
    @RegisterExtension
    static final TestServerExtension<TestingServer> zooKeeper = TestServerExtension.of(
            () -> new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true));

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static LettuceConnectionFactory redisFactory;
    private static StringRedisTemplate redis;
    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void startSchedulerAndClient() {
        redisFactory = TestClients.redis(redisServer.host(), redisServer.port());
        redis = new StringRedisTemplate(redisFactory);
        scheduler = Executors.newScheduledThreadPool(1);
    }

    @AfterAll
    static void stopSchedulerAndClient() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (redisFactory != null) {
            redisFactory.destroy();
        }
    }

    @Test
    void thawedHolderKnowsAtOnceThatItsLockIsInvalidAndItsWriteIsRefused() throws Exception {
        String key = "frozen-" + UUID.randomUUID();
        String resource = "resource-" + UUID.randomUUID();
        CuratorFramework curator = TestClients.zookeeper(zooKeeper.server().getConnectString(), SESSION_TIMEOUT_MS,
                new ExponentialBackoffRetry(100, 3));
        ZooKeeperLockProvider provider = new ZooKeeperLockProvider(curator, new ZooKeeperPaths(PREFIX), scheduler,
                LockLossListener.NONE);
        provider.afterPropertiesSet();
        DefaultLockTemplate here = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);

        try (FrozenHolderProcess holder = FrozenHolderProcess.start("zookeeper", zooKeeper.server().getConnectString(), PREFIX,
                key, Integer.toString(SESSION_TIMEOUT_MS), redisServer.host() + ":" + redisServer.port(), resource)) {
            long oldToken = Long.parseLong(holder.send("acquire").substring("acquired ".length()));
            assertThat(holder.send("write")).isEqualTo("valid=true lost=0 write=accepted");

            holder.signal("STOP");
            // the frozen holder's session expires on the server, its lock node goes with it, and the lock to us
            try (LockHandle newer = here.acquire(key, Duration.ofSeconds(20))) {
                assertThat(newer.fencingToken()).as("czxid of the new lock node").isGreaterThan(oldToken);
                assertThat(FencedRedisResource.write(redis, resource, newer.fencingToken(), "written here")).isTrue();

                holder.sendWithoutAnswer("write"); // waits in the pipe, read the moment the holder thaws
                holder.signal("CONT");
                // invalid by its own clock: the last confirmation of its session is older than the session timeout
                assertThat(holder.answer()).startsWith("valid=false").endsWith("write=rejected");
                assertThat(FencedRedisResource.value(redis, resource)).isEqualTo("written here");

                // its client then learns that the session expired and reports the loss
                await().atMost(Duration.ofSeconds(20)).until(() -> holder.send("status").equals("valid=false lost=1"));
                assertThat(holder.send("exit")).isEqualTo("bye");
                assertThat(holder.awaitExit()).isTrue();
                assertThat(newer.isValid()).as("the thawed holder's release left our lock alone").isTrue();
            }
        }
        finally {
            provider.destroy();
            curator.close();
        }
    }
}
