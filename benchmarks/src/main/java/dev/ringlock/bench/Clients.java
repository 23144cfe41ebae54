package dev.ringlock.bench;

import java.util.HashSet;

import dev.ringlock.testsupport.TestClients;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
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
        return TestClients.redis(BenchEnv.redisHost(), BenchEnv.redisPort());
    }

    /**
     * Spring Data Redis's Lettuce factory on the Sentinel set-up, as Spring Boot makes it from
     * {@code spring.data.redis.sentinel.master} and {@code .nodes}: commands go to the master the Sentinels name.
     */
    public static LettuceConnectionFactory springRedisSentinel() {
        RedisSentinelConfiguration sentinel = new RedisSentinelConfiguration(BenchEnv.sentinelMaster(),
                new HashSet<>(BenchEnv.sentinels()));
        LettuceConnectionFactory factory = new LettuceConnectionFactory(sentinel,
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

    /**
     * Redisson with its defaults on the Sentinel set-up; its {@code checkLockSyncedSlaves} (on by default, set here
     * so that the contender does not change with Redisson's default) makes a lock and an unlock wait for the
     * master's available replicas ({@code WAIT}, within {@code slavesSyncTimeout}, 1 s by default).
     */
    public static RedissonClient redissonSentinel() {
        Config config = new Config();
        config.setCheckLockSyncedSlaves(true);
        var sentinel = config.useSentinelServers().setMasterName(BenchEnv.sentinelMaster());
        for (String node : BenchEnv.sentinels()) {
            sentinel.addSentinelAddress("redis://" + node);
        }
        return Redisson.create(config);
    }

    /** A Curator client with the settings Ringlock's auto-configuration uses. */
    public static CuratorFramework curator() {
        return TestClients.zookeeper(BenchEnv.zooKeeper(), 30_000, new ExponentialBackoffRetry(100, 10, 5_000));
    }
}
