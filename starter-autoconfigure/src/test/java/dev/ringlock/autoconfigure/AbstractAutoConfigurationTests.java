package dev.ringlock.autoconfigure;

import dev.ringlock.testsupport.RedisTestServer;
import dev.ringlock.testsupport.ZooKeeperTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The real Redis and ZooKeeper servers an auto-configuration test class runs its contexts against, started
 * once per class.
 */
public abstract class AbstractAutoConfigurationTests {

    protected static RedisTestServer redis;
    protected static ZooKeeperTestServer zookeeper;

    @BeforeAll
    static void startServers() {
        redis = RedisTestServer.create();
        zookeeper = ZooKeeperTestServer.create();
    }

    @AfterAll
    static void stopServers() {
        redis.close();
        zookeeper.close();
    }

    /** Points Spring Boot's Redis connection at the test server. */
    protected static String[] redisProperties() {
        return new String[] {"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port()};
    }

    /** Points Ringlock's ZooKeeper client at the test server. */
    protected static String zookeeperConnect() {
        return "ringlock.zookeeper.connect-string=" + zookeeper.connectString();
    }
}
