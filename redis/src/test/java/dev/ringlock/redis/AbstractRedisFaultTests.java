package dev.ringlock.redis;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.redis.RedisLockClients.Client;
import dev.ringlock.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Redis fault tests share: one server per class, short leases so that a fault outlasts one within a
 * test, the bounds the tests check those leases against, and per test a fresh set of {@link RedisLockClients}
 * and a pool for the test's own threads, both ended after it.
 */
abstract class AbstractRedisFaultTests {

    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration RENEWAL_PERIOD = LEASE.dividedBy(3);
    static final Duration WAIT = Duration.ofSeconds(1);
    static final Duration POLL = Duration.ofMillis(200);
    /** Room for a loaded 2-core machine on top of every bound these tests check. */
    static final Duration SLACK = Duration.ofSeconds(2);
    /** The longest a failed acquire may take: its wait, the one late answer it may wait for, and slack. */
    static final Duration FAILED_WAIT_BOUND = WAIT.plus(RedisLockProvider.MIN_REPLY_WAIT).plus(SLACK);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    static ScheduledExecutorService scheduler;

    private final RedisKeyspace keyspace;
    RedisLockClients clients;
    ExecutorService executor;

    AbstractRedisFaultTests(RedisKeyspace keyspace) {
        this.keyspace = keyspace;
    }

    @BeforeAll
    static void startScheduler() {
        scheduler = Executors.newScheduledThreadPool(1);
    }

    @AfterAll
    static void stopScheduler() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @BeforeEach
    void createClients() {
        clients = new RedisLockClients(keyspace, scheduler, LEASE, POLL);
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void closeClients() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).as("test threads ended").isTrue();
        clients.close();
    }

    /** A client that talks to the server directly. */
    Client client() {
        return clients.connect(redis.host(), redis.port());
    }

    /** A key of this test's own: {@code name} says what for, the UUID keeps runs apart. */
    static String key(String name) {
        return name + "-" + UUID.randomUUID();
    }
}
