package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.RedisSentinelServers;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.RespClient;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Locks, counters and the ring through {@code spring.data.redis.sentinel.master}/{@code nodes}, with a master,
 * a replica and three Sentinels; and what a failover does to them.
 */
class RedisSentinelTests extends AbstractRedisTopologyTests {

    @RegisterExtension
    static final TestServerExtension<RedisSentinelServers> servers = TestServerExtension.of(RedisSentinelServers::start);

    @Override
    protected String[] connectionProperties() {
        return servers.server().springProperties();
    }

    @Override
    protected String keyPrefix() {
        return "sentinel-test";
    }

    /**
     * The master is killed (SIGKILL) while its replica is frozen and cut off, so the writes of the last moment
     * never reach the replica; the Sentinels promote it. Then: the clients follow the new master and locks, counters and
     * release messages work again; what was replicated survived; and what was not is lost (the documented
     * caveat of asynchronous replication), with fencing tokens as the guard: the lock that was lost goes to
     * a new holder with a larger token, and its old holder finds out at its next renewal.
     */
    @Test
    @Tag("fault")
    void failoverKeepsWhatWasReplicatedAndTokensGuardWhatWasNot() {
        // replica acknowledgement off, or the unreplicated lock would not be acquired at all
        // (RedisSentinelAcknowledgedFailoverTests)
        ApplicationContextRunner app = instance().withPropertyValues("ringlock.lock.lease-time=30s",
                "ringlock.lock.poll-interval=1m", "ringlock.redis.replicas.acknowledgements=0");
        app.run(first -> app.run(second -> {
            LockTemplate locks = first.getBean(LockTemplate.class);
            LockTemplate otherLocks = second.getBean(LockTemplate.class);
            CounterTemplate counters = first.getBean(CounterTemplate.class);
            RedisServerProcess master = servers.server().initialMaster();
            RedisServerProcess replica = servers.server().initialReplica();

            LockHandle replicated = locks.acquire("replicated", Duration.ofSeconds(5));
            counters.set("balance", 10);
            assertThat(RespClient.call(master.host(), master.port(), "WAIT", "1", "10000"))
                    .as("replicas that acknowledged the writes").isEqualTo(1L);

            // cut the replication link while the replica is frozen: SIGSTOP alone is not enough, since the
            // replica's kernel would still buffer what the master sends and hand it over on SIGCONT
            replica.pause();
            assertThat(RespClient.call(master.host(), master.port(), "CLIENT", "KILL", "TYPE", "replica"))
                    .as("replication links cut").isEqualTo(1L);
            LockHandle unreplicated = locks.acquire("unreplicated", Duration.ofSeconds(5));
            assertThat(counters.incrementAndGet("balance")).isEqualTo(11);
            master.kill();
            replica.resume();
            servers.server().awaitReplicaPromoted();

            // the clients reconnect to the new master
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> counters.get("balance") >= 0 && otherLocks.tryAcquire("after", Duration.ZERO)
                            .map(handle -> {
                                handle.close();
                                return true;
                            }).orElse(false));

            // what was replicated survived the failover
            assertThat(otherLocks.tryAcquire("replicated", Duration.ZERO)).isEmpty();
            assertThat(replicated.isValid()).isTrue();
            // what was not is lost: the increment, and the lock, which another instance now gets...
            assertThat(counters.get("balance")).isEqualTo(10);
            Optional<LockHandle> taken = otherLocks.tryAcquire("unreplicated", Duration.ofSeconds(5));
            assertThat(taken).isPresent();
            // ...with a larger fencing token (floored by the new master's clock), so a resource that checks
            // tokens refuses the old holder, which finds out at its next renewal
            assertThat(taken.get().fencingToken()).isGreaterThan(unreplicated.fencingToken());
            await().atMost(Duration.ofSeconds(60)).until(() -> !unreplicated.isValid());
            taken.get().close();
            replicated.close();
        }));
        // and a release on the new master still wakes a waiter of another instance at once
        releaseMessagesWakeWaitersOfAnotherInstance(List.of("after-failover"));
    }
}
