package dev.ringlock.bench;

import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

/**
 * The clients every contender gets, each with its library's default settings, as an application would
 * create them: one per benchmark trial, shared by its threads.
 */
public final class Clients {

    private Clients() {
    }

    /** Spring Data Redis's Lettuce factory as Spring Boot makes it: one shared native connection. */
    public static LettuceConnectionFactory springRedis() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(BenchEnv.redisHost(), BenchEnv.redisPort()),
                LettuceClientConfiguration.defaultConfiguration());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** A plain Lettuce client; the caller opens one connection and shares it, as Spring does. */
    public static RedisClient lettuce() {
        return RedisClient.create(RedisURI.create(BenchEnv.redisHost(), BenchEnv.redisPort()));
    }

    /** Redisson with its defaults for a single server. */
    public static RedissonClient redisson() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + BenchEnv.redisHost() + ":" + BenchEnv.redisPort());
        return Redisson.create(config);
    }

    /** A Curator client with the settings Ringlock's auto-configuration uses. */
    public static CuratorFramework curator() {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(BenchEnv.zooKeeper())
                .sessionTimeoutMs(30_000)
                .connectionTimeoutMs(15_000)
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 5_000))
                .build();
        client.start();
        try {
            if (!client.blockUntilConnected(15, TimeUnit.SECONDS)) {
                client.close();
                throw new IllegalStateException("No connection to ZooKeeper at " + BenchEnv.zooKeeper());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException(ex);
        }
        return client;
    }
}
