package dev.ringlock.autoconfigure;

import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real Redis and ZooKeeper servers an auto-configuration test class runs its contexts against, started
 * once per class.
 */
public abstract class AbstractAutoConfigurationTests {

    @RegisterExtension
    protected static final RedisServerExtension redis = new RedisServerExtension();

    @RegisterExtension
    protected static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();

    /** Points Spring Boot's Redis connection at the test server. */
    protected static String[] redisProperties() {
        return redis.springProperties();
    }

    /** Points Ringlock's ZooKeeper client at the test server. */
    protected static String zookeeperConnect() {
        return "ringlock.zookeeper.connect-string=" + zookeeper.connectString();
    }
}
