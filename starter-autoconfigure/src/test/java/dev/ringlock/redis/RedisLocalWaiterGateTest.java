package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringlock.TestClients;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Threads of one {@link RedisLockProvider} contending for one key against a real {@code redis-server}: the
 * lock stays exclusive with increasing tokens, every thread gets its turns, and, seen from the server, a
 * hand-over costs about one failed acquire script, not one per local waiter (the thundering herd that
 * {@link LocalWaiterGate} removes).
 */
class RedisLocalWaiterGateTest {

    private static final int THREADS = 8;
    private static final int SECTIONS_PER_THREAD = 25;
    /** Far longer than the test: no renewal runs a script while the scripts are counted. */
    private static final Duration LEASE = Duration.ofSeconds(60);
    /** Long, so that a hand-over woken by a poll rather than a release would show as a slow test, not a pass. */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    private static RedisTestServer server;
    private static ScheduledExecutorService scheduler;
    private static LettuceConnectionFactory adminFactory;
    private static StringRedisTemplate admin;

    @BeforeAll
    static void startServer() {
        server = RedisTestServer.create();
        scheduler = Executors.newScheduledThreadPool(1);
        adminFactory = TestClients.redis(server.host(), server.port());
        admin = new StringRedisTemplate(adminFactory);
    }

    @AfterAll
    static void stopServer() {
        if (adminFactory != null) {
            adminFactory.destroy();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A section: who held the lock, with which token. */
    private record Section(int thread, long token) {
    }

    @Test
    void localWaitersTakeTurnsWithoutAHerdOfScriptCalls() throws Exception {
        LettuceConnectionFactory factory = TestClients.redis(server.host(), server.port());
        RedisLockProvider provider = new RedisLockProvider(factory, new RedisKeyspace("ringlock-gate-test"), scheduler,
                event -> {
                }, POLL_INTERVAL);
        provider.afterPropertiesSet();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Section> log = new ArrayList<>();
            AtomicReference<Integer> holder = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            long scriptsBefore = scriptCalls();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < SECTIONS_PER_THREAD; i++) {
                        Optional<LockHandle> acquired = provider.tryAcquire(
                                new LockRequest("contended", Duration.ofSeconds(60), LEASE));
                        assertThat(acquired).as("thread %d, section %d", thread, i).isPresent();
                        try (LockHandle handle = acquired.get()) {
                            assertThat(holder.compareAndSet(null, thread)).as("no other holder").isTrue();
                            synchronized (log) {
                                log.add(new Section(thread, handle.fencingToken()));
                            }
                            Thread.onSpinWait();
                            assertThat(holder.compareAndSet(thread, null)).isTrue();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
            long scripts = scriptCalls() - scriptsBefore;

            int acquisitions = THREADS * SECTIONS_PER_THREAD;
            assertThat(log).hasSize(acquisitions);
            for (int i = 1; i < log.size(); i++) {
                assertThat(log.get(i).token()).as("token of section %d", i).isGreaterThan(log.get(i - 1).token());
            }
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                assertThat(log).filteredOn(section -> section.thread() == thread).hasSize(SECTIONS_PER_THREAD);
            }
            // Every acquisition ends with one release script; the rest are acquire scripts. Without the gate,
            // each release made all 8 local waiters try: about 8 acquire scripts per acquisition.
            double acquireScriptsPerAcquisition = (double) (scripts - acquisitions) / acquisitions;
            System.out.printf("acquire scripts per acquisition: %.2f (%d scripts for %d acquisitions)%n",
                    acquireScriptsPerAcquisition, scripts, acquisitions);
            assertThat(acquireScriptsPerAcquisition).as("acquire scripts per acquisition").isLessThan(2.5);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(provider.gatedKeys()).as("keys with threads queued at the gate").isZero();
                assertThat(provider.waitingKeys()).as("keys with registered waiters").isZero();
            });
        }
        finally {
            threads.shutdownNow();
            provider.destroy();
            factory.destroy();
        }
    }

    /** Scripts the server ran so far, by hash or by text (the client falls back to the text once per script). */
    private static long scriptCalls() {
        Properties stats = admin.execute(connection -> connection.serverCommands().info("commandstats"), true);
        return calls(stats, "cmdstat_evalsha") + calls(stats, "cmdstat_eval");
    }

    private static long calls(Properties stats, String command) {
        String line = stats.getProperty(command);
        if (line == null) {
            return 0;
        }
        // calls=12,usec=...,usec_per_call=...
        for (String field : line.split(",")) {
            if (field.startsWith("calls=")) {
                return Long.parseLong(field.substring("calls=".length()));
            }
        }
        return 0;
    }
}
