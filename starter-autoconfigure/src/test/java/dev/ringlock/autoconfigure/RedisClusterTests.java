package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.RedisClusterServers;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.RespClient;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Locks, counters and the ring on a Redis Cluster of three masters, through
 * {@code spring.data.redis.cluster.nodes}: every script touches one slot (a lock's keys share a hash tag),
 * and release messages published on one node reach a waiter subscribed on another.
 */
class RedisClusterTests extends AbstractRedisTopologyTests {

    @RegisterExtension
    static final TestServerExtension<RedisClusterServers> cluster =
            TestServerExtension.of(() -> RedisClusterServers.start(3));

    @Test
    void locksAndCountersOfManyKeysSpreadOverEveryMaster() {
        instance().run(context -> {
            LockTemplate locks = context.getBean(LockTemplate.class);
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            List<LockHandle> held = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                held.add(locks.acquire("spread-" + i, Duration.ofSeconds(5)));
                assertThat(counters.incrementAndGet("spread-" + i)).isEqualTo(1);
            }
            for (RedisServerProcess node : cluster.server().nodes()) {
                // KEYS on one node lists only the keys it serves
                assertThat((List<?>) RespClient.call(node.host(), node.port(), "KEYS", keyPrefix() + ":lock:{spread-*}"))
                        .as("locks served by %s", node).isNotEmpty();
                assertThat((List<?>) RespClient.call(node.host(), node.port(), "KEYS", keyPrefix() + ":counter:{spread-*}"))
                        .as("counters served by %s", node).isNotEmpty();
            }
            held.forEach(LockHandle::close);
            for (int i = 0; i < 30; i++) {
                counters.delete("spread-" + i);
            }
        });
    }

    @Test
    void releaseMessagesReachWaitersWhicheverMasterServesTheLock() {
        // one lock per master: the waiter's subscription sits on one node, so at least two of the three
        // release messages are published on another node and must cross the cluster bus
        List<String> keys = new ArrayList<>();
        for (RedisServerProcess node : cluster.server().nodes()) {
            keys.add(IntStream.range(0, 1000).mapToObj(i -> "signalled-" + i)
                    .filter(key -> cluster.server().nodeOf(key).port() == node.port()).findFirst().orElseThrow());
        }
        releaseMessagesWakeWaitersOfAnotherInstance(keys);
    }

    @Override
    protected String[] connectionProperties() {
        return cluster.server().springProperties();
    }

    @Override
    protected String keyPrefix() {
        return "cluster-test";
    }
}
