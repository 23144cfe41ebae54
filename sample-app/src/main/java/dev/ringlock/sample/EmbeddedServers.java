package dev.ringlock.sample;

import java.util.Map;

import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.ZooKeeperTestServer;

/**
 * The servers of the default run: ZooKeeper in this JVM and a {@code redis-server} process, both on free
 * loopback ports, so the sample needs nothing installed. They are the servers of Ringlock's own tests
 * ({@code ringlock-test}), so the sample runs on exactly what the tests check.
 */
final class EmbeddedServers implements AutoCloseable {

    private final ZooKeeperTestServer zookeeper;
    private final RedisServerProcess redis;

    private EmbeddedServers(ZooKeeperTestServer zookeeper, RedisServerProcess redis) {
        this.zookeeper = zookeeper;
        this.redis = redis;
    }

    static EmbeddedServers start() {
        ZooKeeperTestServer zookeeper;
        try {
            zookeeper = ZooKeeperTestServer.create();
        }
        catch (RuntimeException ex) {
            throw new IllegalStateException("Could not start the embedded ZooKeeper server; run with "
                    + "-Dsample.embedded=false to use a ZooKeeper of your own", ex);
        }
        try {
            return new EmbeddedServers(zookeeper, RedisServerProcess.start());
        }
        catch (RuntimeException ex) {
            zookeeper.close();
            throw ex;
        }
    }

    /** The properties that point Ringlock and Spring Data Redis at these servers. */
    Map<String, Object> properties() {
        return Map.of("ringlock.zookeeper.connect-string", zookeeper.connectString(),
                "spring.data.redis.host", redis.host(),
                "spring.data.redis.port", redis.port());
    }

    @Override
    public void close() {
        try {
            redis.close();
        }
        finally {
            zookeeper.close();
        }
    }

    @Override
    public String toString() {
        return "embedded ZooKeeper at " + zookeeper.connectString() + ", embedded Redis at " + redis.host() + ":"
                + redis.port();
    }
}
