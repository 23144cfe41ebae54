package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.testsupport.RedisClusterServers;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.RespClient;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * READ and permit locks on a Redis Cluster of three masters: each of their scripts touches keys of one slot only
 * (Cluster refuses a script across slots with {@code CROSSSLOT}), on whichever master serves the lock, and a
 * writer waiting for readers is woken by the release message whichever node published it.
 */
class RedisClusterLockKindsTests {

    @RegisterExtension
    static final TestServerExtension<RedisClusterServers> cluster =
            TestServerExtension.of(() -> RedisClusterServers.start(3));

    private static final RedisKeyspace KEYSPACE = new RedisKeyspace("cluster-kinds");

    private static ScheduledExecutorService scheduler;
    private static final List<LettuceConnectionFactory> factories = new ArrayList<>();
    private static final List<RedisLockProvider> providers = new ArrayList<>();

    @BeforeAll
    static void startScheduler() {
        scheduler = Executors.newScheduledThreadPool(1);
    }

    @AfterAll
    static void disconnect() throws Exception {
        for (RedisLockProvider provider : providers) {
            provider.destroy();
        }
        factories.forEach(LettuceConnectionFactory::destroy);
        scheduler.shutdownNow();
    }

    private static DefaultLockTemplate newClient() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisClusterConfiguration(Arrays.asList(cluster.server().clusterNodes().split(","))));
        factory.afterPropertiesSet();
        factory.start();
        factories.add(factory);
        RedisLockProvider provider = new RedisLockProvider(factory, KEYSPACE, scheduler, event -> {
        }, Duration.ofSeconds(1));
        provider.afterPropertiesSet();
        providers.add(provider);
        return new DefaultLockTemplate(provider, Duration.ofSeconds(2), LockLostPolicy.THROW);
    }

    /** An application key whose lock lives on each master, in the masters' order. */
    private static List<String> oneKeyPerMaster(String name) {
        List<String> keys = new ArrayList<>();
        for (RedisServerProcess node : cluster.server().nodes()) {
            keys.add(IntStream.range(0, 1000).mapToObj(i -> name + "-" + i)
                    .filter(key -> cluster.server().nodeOf(KEYSPACE.lockKey(key)).port() == node.port())
                    .findFirst().orElseThrow());
        }
        return keys;
    }

    @Test
    void readersShareAndAWaitingWriterIsWokenOnEveryMaster() throws Exception {
        DefaultLockTemplate readers = newClient();
        DefaultLockTemplate writers = newClient();
        for (String key : oneKeyPerMaster("rw")) {
            LockHandle first = readers.tryAcquireRead(key, Duration.ZERO).orElseThrow();
            LockHandle second = readers.tryAcquireRead(key, Duration.ZERO).orElseThrow();
            CompletableFuture<LockHandle> writer = CompletableFuture.supplyAsync(
                    () -> writers.tryAcquire(key, Duration.ofSeconds(20)).orElseThrow());
            String flag = KEYSPACE.writerWaitingKey(KEYSPACE.lockKey(key));
            RedisServerProcess node = cluster.server().nodeOf(flag);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Long.valueOf(1).equals(RespClient.call(node.host(), node.port(), "EXISTS", flag)));
            first.close();
            second.close();
            try (LockHandle handle = writer.get(30, TimeUnit.SECONDS)) {
                assertThat(handle.fencingToken()).as("writer's token on %s", key)
                        .isGreaterThan(second.fencingToken()).isGreaterThan(first.fencingToken());
            }
            readers.tryAcquireRead(key, Duration.ZERO).orElseThrow().close();
        }
    }

    @Test
    void permitsAreCountedOnEveryMaster() {
        DefaultLockTemplate holders = newClient();
        for (String key : oneKeyPerMaster("permits")) {
            try (LockHandle first = holders.tryAcquirePermit(key, 2, Duration.ZERO).orElseThrow();
                    LockHandle second = holders.tryAcquirePermit(key, 2, Duration.ZERO).orElseThrow()) {
                assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
                assertThat(holders.tryAcquirePermit(key, 2, Duration.ZERO)).as("a third holder of %s", key).isEmpty();
            }
            holders.tryAcquirePermit(key, 2, Duration.ZERO).orElseThrow().close();
        }
    }
}
