package dev.ringlock.sample;

import java.util.Map;

import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.ZooKeeperTestServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ZooKeeper server in this JVM and a redis-server process, so the sample runs with nothing installed.
 * Both stop when the JVM exits.
 */
record EmbeddedServers(ZooKeeperTestServer zookeeper, RedisServerProcess redis) {

    private static final Logger logger = LoggerFactory.getLogger(EmbeddedServers.class);

    static EmbeddedServers start() {
        ZooKeeperTestServer zookeeper = ZooKeeperTestServer.create();
        RedisServerProcess redis = RedisServerProcess.start();
        EmbeddedServers servers = new EmbeddedServers(zookeeper, redis);
        Runtime.getRuntime().addShutdownHook(new Thread(servers::stop, "sample-embedded-servers-stop"));
        logger.info("Embedded servers: ZooKeeper at {}, Redis at {}:{}", zookeeper.connectString(), redis.host(),
                redis.port());
        return servers;
    }

    Map<String, String> properties() {
        return Map.of("ringlock.zookeeper.connect-string", zookeeper.connectString(),
                "spring.data.redis.host", redis.host(),
                "spring.data.redis.port", Integer.toString(redis.port()));
    }

    private void stop() {
        redis.close();
        zookeeper.close();
    }
}
