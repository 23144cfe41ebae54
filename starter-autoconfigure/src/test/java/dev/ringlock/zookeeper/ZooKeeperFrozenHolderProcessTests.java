package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.AbstractFrozenHolderProcessTests;
import dev.ringlock.FrozenHolderMain;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.TestServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A ZooKeeper lock holder in another JVM ({@link FrozenHolderMain}) of a mutex, a READ lock and a permit, frozen
 * past its session timeout and thawed: the server has expired its session, its node went with it and the lock to
 * this JVM. The fenced resource is a Redis hash.
 */
class ZooKeeperFrozenHolderProcessTests extends AbstractFrozenHolderProcessTests {

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
    private static CuratorFramework curator;
    private static ZooKeeperLockProvider provider;
    private static LockTemplate here;

    @BeforeAll
    static void startSchedulerAndClients() {
        redisFactory = TestClients.redis(redisServer.host(), redisServer.port());
        redis = new StringRedisTemplate(redisFactory);
        scheduler = Executors.newScheduledThreadPool(1);
        curator = TestClients.zookeeper(zooKeeper.server().getConnectString(), SESSION_TIMEOUT_MS,
                new ExponentialBackoffRetry(100, 3));
        provider = new ZooKeeperLockProvider(curator, new ZooKeeperPaths(PREFIX), scheduler, LockLossListener.NONE);
        provider.afterPropertiesSet();
        here = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);
    }

    @AfterAll
    static void stopSchedulerAndClients() throws Exception {
        if (provider != null) {
            provider.destroy();
        }
        if (curator != null) {
            curator.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (redisFactory != null) {
            redisFactory.destroy();
        }
    }

    @Override
    protected String[] holderArguments(String key, String resource) {
        return new String[] {"zookeeper", zooKeeper.server().getConnectString(), PREFIX, key,
                Integer.toString(SESSION_TIMEOUT_MS), redisServer.host() + ":" + redisServer.port(), resource};
    }

    @Override
    protected LockTemplate here() {
        return here;
    }

    @Override
    protected StringRedisTemplate resources() {
        return redis;
    }

    @Override
    protected Duration newcomerWait() {
        return Duration.ofMillis(SESSION_TIMEOUT_MS).plusSeconds(18);
    }
}
