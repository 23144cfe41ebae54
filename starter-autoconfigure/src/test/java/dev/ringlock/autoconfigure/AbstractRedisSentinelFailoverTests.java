package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.RedisSentinelServers;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.RespClient;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One Sentinel failover that loses the writes the replica had not received, seen by two instances of the
 * application through an outside log of every lock entry and failed attempt. The replica is cut off by freezing it
 * ({@code SIGSTOP}) and closing its replication link on the master ({@code CLIENT KILL TYPE replica}): frozen alone,
 * its kernel would still take in what the master sends and hand it over on resume. Then the master is killed and
 * the replica, resumed, is promoted. A subclass runs it with replica acknowledgement on and off; each needs servers
 * of its own, since the failover uses them up.
 */
abstract class AbstractRedisSentinelFailoverTests {

    /** An entry into a lock (the handle kept to ask later whether it still vouches), or a failed attempt. */
    record Event(long sequence, String instance, String key, @Nullable LockHandle handle,
            @Nullable RuntimeException failure) {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class, LockAutoConfiguration.class,
                    DataRedisAutoConfiguration.class))
            .withPropertyValues("ringlock.backend=redis", "ringlock.ring.enabled=false", "spring.data.redis.timeout=5s",
                    // long enough that no renewal tells the first instance of a loss during the test
                    "ringlock.lock.lease-time=60s", "ringlock.lock.poll-interval=200ms");

    private final AtomicLong sequence = new AtomicLong();
    protected final Queue<Event> log = new ConcurrentLinkedQueue<>();

    protected ApplicationContextRunner instance(RedisSentinelServers servers, String... properties) {
        return runner.withPropertyValues(servers.springProperties()).withPropertyValues(properties);
    }

    /**
     * Runs the failover with two instances of {@code app}; afterwards {@link #log} holds what each got.
     * @param restartOldMaster whether the killed master comes back (as the new master's replica), which an
     * acknowledged lock needs after the failover
     */
    protected void failover(RedisSentinelServers servers, ApplicationContextRunner app, boolean restartOldMaster) {
        app.run(first -> app.run(second -> {
            LockTemplate firstLocks = first.getBean(LockTemplate.class);
            LockTemplate secondLocks = second.getBean(LockTemplate.class);
            RedisServerProcess master = servers.initialMaster();
            RedisServerProcess replica = servers.initialReplica();

            enter("first", "replicated", firstLocks, Duration.ofSeconds(5));
            replica.pause();
            assertThat(RespClient.call(master.host(), master.port(), "CLIENT", "KILL", "TYPE", "replica"))
                    .as("replication links cut").isEqualTo(1L);
            enter("first", "unreplicated", firstLocks, Duration.ofSeconds(1));
            master.kill();
            replica.resume();
            servers.awaitReplicaPromoted();
            if (restartOldMaster) {
                master.restart();
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> "1".equals(RespClient.field(
                        RespClient.call(replica.host(), replica.port(), "INFO", "replication"), "connected_slaves")));
            }

            // the second instance, on the new master: the lock the replica had, and the one it may not have had
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> enter("second", "unreplicated", secondLocks, Duration.ofSeconds(1)));
            assertThat(secondLocks.tryAcquire("replicated", Duration.ZERO)).as("the replicated lock survived").isEmpty();
        }));
    }

    /** Tries {@code key} for {@code wait}; logs the entry (true) or the failure (false, not rethrown). */
    private boolean enter(String instance, String key, LockTemplate locks, Duration wait) {
        try {
            LockHandle handle = locks.tryAcquire(key, wait).orElse(null);
            if (handle != null) {
                log.add(new Event(sequence.incrementAndGet(), instance, key, handle, null));
                // who else vouches for this key right now, by their own handles: read at the entry, not later
                overlaps.addAll(heldByOthers(instance, key));
                return true;
            }
            return false;
        }
        catch (LockNotAcquiredException ex) {
            log.add(new Event(sequence.incrementAndGet(), instance, key, null, ex));
            return false;
        }
    }

    /** Entries another instance held, still valid, when a later entry into the same key came. */
    protected final List<String> overlaps = new ArrayList<>();

    private List<String> heldByOthers(String instance, String key) {
        return log.stream()
                .filter(e -> e.key().equals(key) && !e.instance().equals(instance) && e.handle() != null
                        && e.handle().isValid())
                .map(e -> "'" + key + "' held by " + e.instance() + " (token " + e.handle().fencingToken()
                        + ") when " + instance + " entered it")
                .toList();
    }

    protected List<Event> entries(String instance, String key) {
        return log.stream().filter(e -> e.instance().equals(instance) && e.key().equals(key) && e.handle() != null)
                .toList();
    }

    protected List<Event> failures(String instance, String key) {
        return log.stream().filter(e -> e.instance().equals(instance) && e.key().equals(key) && e.failure() != null)
                .toList();
    }
}
