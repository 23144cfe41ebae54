package dev.ringlock.bench;

import dev.ringlock.testsupport.TestClients;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
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
        return TestClients.redis(BenchEnv.redisHost(), BenchEnv.redisPort());
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
        return TestClients.zookeeper(BenchEnv.zooKeeper(), 30_000, new ExponentialBackoffRetry(100, 10, 5_000));
    }
}
