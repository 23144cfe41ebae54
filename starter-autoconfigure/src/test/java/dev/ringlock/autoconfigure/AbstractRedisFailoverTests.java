package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.redis.RedisReplicasNotAcknowledgedException;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.RespClient;
import dev.ringlock.testsupport.Waits;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One failover (Sentinel or Cluster) that loses the writes the replica had not received, seen by two instances of
 * the application through an outside log of every lock entry and failed attempt. The replica is cut off by freezing
 * it ({@code SIGSTOP}) and closing its replication link on the master ({@code CLIENT KILL TYPE replica}): frozen
 * alone, its kernel would still take in what the master sends and hand it over on resume; cut off while still
 * running, it would reconnect within a second. Then the master is killed
 * and the replica, resumed, is promoted. Subclasses run it with replica acknowledgement on and off; each needs
 * servers of its own, since the failover uses them up.
 */
abstract class AbstractRedisFailoverTests {

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
    /** The key of the lock taken before the replica was cut off; on the same master as {@code unreplicated}. */
    protected String replicated = "replicated";
    protected final Queue<Event> log = new ConcurrentLinkedQueue<>();

    /** The {@code spring.data.redis.*} properties of the servers. */
    protected abstract String[] connectionProperties();

    /** The master that holds the lock on {@code key} (the application's key). */
    protected abstract RedisServerProcess masterOf(String key);

    /** The replica of {@code master}. */
    protected abstract RedisServerProcess replicaOf(RedisServerProcess master);

    /** Waits until {@code replica} was promoted in place of its killed master. */
    protected abstract void awaitPromoted(RedisServerProcess replica);

    /** Restarts the killed {@code oldMaster} and has it replicate {@code newMaster}, as the set-up would in time. */
    protected abstract void restartAsReplica(RedisServerProcess oldMaster, RedisServerProcess newMaster);

    /** Every server process of the set-up, whose last output a failed wait shows. */
    protected abstract List<RedisServerProcess> processes();

    protected ApplicationContextRunner instance(String... properties) {
        return runner.withPropertyValues(connectionProperties()).withPropertyValues(properties);
    }

    /**
     * Runs the failover with two instances of {@code app}; afterwards {@link #log} holds what each got.
     * @param restartOldMaster whether the killed master comes back (as the new master's replica), which an
     * acknowledged lock needs after the failover
     */
    protected void failover(ApplicationContextRunner app, boolean restartOldMaster) {
        RedisServerProcess master = masterOf("unreplicated");
        RedisServerProcess replica = replicaOf(master);
        // on a Cluster, the first lock must live on the master that is killed too
        String replicatedKey = replicated = IntStream.range(0, 1000).mapToObj(i -> "replicated-" + i)
                .filter(key -> masterOf(key) == master).findFirst().orElseThrow();
        app.run(first -> app.run(second -> {
            LockTemplate firstLocks = first.getBean(LockTemplate.class);
            LockTemplate secondLocks = second.getBean(LockTemplate.class);

            enter("first", replicatedKey, firstLocks, Duration.ofSeconds(5));
            replica.pause();
            assertThat(RespClient.call(master.host(), master.port(), "CLIENT", "KILL", "TYPE", "replica"))
                    .as("replication links cut").isEqualTo(1L);
            enter("first", "unreplicated", firstLocks, Duration.ofSeconds(1));
            assertThat(RespClient.field(RespClient.call(master.host(), master.port(), "INFO", "replication"),
                    "connected_slaves")).as("replicas connected when the master took the write they must miss")
                    .isEqualTo("0");
            master.kill();
            replica.resume();
            awaitPromoted(replica);
            if (restartOldMaster) {
                restartAsReplica(master, replica);
                awaitRejoined(master, replica);
            }

            // the second instance, on the new master: the lock the replica had, and the one it may not have had
            awaitEntry("second", "unreplicated", secondLocks);
            assertThat(secondLocks.tryAcquire(replicatedKey, Duration.ZERO)).as("the replicated lock survived").isEmpty();
        }));
    }

    /** Waits until the restarted {@code oldMaster} replicates {@code newMaster}; in vain, shows the servers' logs. */
    private void awaitRejoined(RedisServerProcess oldMaster, RedisServerProcess newMaster) {
        Waits.until("the restarted " + oldMaster + " to replicate " + newMaster, Duration.ofSeconds(60), processes(),
                () -> "1".equals(RespClient.field(RespClient.call(newMaster.host(), newMaster.port(), "INFO",
                        "replication"), "connected_slaves")));
    }

    /**
     * What acknowledgement promises: the lock the cut-off replica could not confirm was never entered, its attempt
     * failed with the documented exception, and no lock was held by two instances.
     */
    protected void assertNoLockHeldByTwoAndWhatCouldNotBeReplicatedFailed() {
        assertThat(entries("first", replicated)).hasSize(1);
        assertThat(entries("first", "unreplicated")).as("entries the replica did not confirm").isEmpty();
        assertThat(failures("first", "unreplicated")).singleElement().satisfies(event -> assertThat(event.failure())
                .hasRootCauseInstanceOf(RedisReplicasNotAcknowledgedException.class)
                .hasMessageContaining("0 of 1 required Redis replica(s) acknowledged"));
        assertThat(entries("second", "unreplicated")).hasSize(1);
        assertThat(overlaps).as("locks held by two instances at once").isEmpty();
    }

    /** The hazard without acknowledgement: the lock taken on the old master alone was held by both instances. */
    protected void assertTheLockTheReplicaNeverHadWasHeldByTwo() {
        assertThat(entries("first", "unreplicated")).as("acquired on the old master alone").hasSize(1);
        assertThat(failures("first", "unreplicated")).isEmpty();
        assertThat(entries("second", "unreplicated")).hasSize(1);
        assertThat(overlaps).as("locks held by two instances at once").singleElement().asString()
                .contains("'unreplicated' held by first");
    }

    /**
     * Tries {@code key} until the lock is had, for at most 60 seconds; if never, fails with the last failure seen,
     * which a bare timeout would hide.
     */
    private void awaitEntry(String instance, String key, LockTemplate locks) {
        AtomicReference<@Nullable RuntimeException> lastError = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                try {
                    return enter(instance, key, locks, Duration.ofSeconds(1));
                }
                catch (RuntimeException ex) {
                    lastError.set(ex);
                    return false;
                }
            });
        }
        catch (ConditionTimeoutException ex) {
            RuntimeException last = lastError.get();
            List<Event> failed = failures(instance, key);
            throw new AssertionError("The " + instance + " instance did not enter '" + key + "' within 60 s; "
                    + failed.size() + " failed attempts, the last: "
                    + (failed.isEmpty() ? "none" : failed.get(failed.size() - 1).failure()) + "; last other error: "
                    + last + ". What the servers printed last:\n" + RedisServerProcess.recentOutput(processes()),
                    last != null ? last : ex);
        }
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
