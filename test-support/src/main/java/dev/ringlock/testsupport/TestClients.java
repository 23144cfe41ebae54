package dev.ringlock.testsupport;

import java.util.concurrent.TimeUnit;

import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The clients the integration tests give each simulated instance: a started Redis connection factory, or a
 * connected Curator client, of its own, as a separate process would have.
 */
public final class TestClients {

    private TestClients() {
    }

    /** A started connection factory to the Redis server at {@code host}:{@code port}; destroy it when done. */
    public static LettuceConnectionFactory redis(String host, int port) {
        return redis(host, port, LettuceClientConfiguration.defaultConfiguration());
    }

    /** The same, with the given client configuration (a short command timeout, say). */
    public static LettuceConnectionFactory redis(String host, int port, LettuceClientConfiguration client) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port),
                client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** A Curator client connected to {@code connectString}; close it when done. */
    public static CuratorFramework zookeeper(String connectString, int sessionTimeoutMs, RetryPolicy retryPolicy) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(5000)
                .retryPolicy(retryPolicy)
                .build();
        client.start();
        try {
            if (!client.blockUntilConnected(15, TimeUnit.SECONDS)) {
                client.close();
                throw new IllegalStateException("No connection to ZooKeeper at " + connectString);
            }
        }
        catch (InterruptedException ex) {
            client.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while connecting to ZooKeeper at " + connectString, ex);
        }
        return client;
    }
}
