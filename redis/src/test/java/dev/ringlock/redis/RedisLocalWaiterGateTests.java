package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Threads of one {@link RedisLockProvider} contending for one key against a real {@code redis-server}: the
 * lock stays exclusive with increasing tokens, every thread gets its turns, and, seen from the server, a
 * hand-over costs about one failed acquire script, not one per local waiter (the thundering herd that
 * {@link LocalWaiterGate} removes), and mostly passes the lock on without deleting it ({@link HandOver}),
 * while a waiter in another process still gets its turn.
 */
class RedisLocalWaiterGateTests {

    private static final int THREADS = 8;
    private static final int SECTIONS_PER_THREAD = 25;
    /** Far longer than the test: no renewal runs a script while the scripts are counted. */
    private static final Duration LEASE = Duration.ofSeconds(60);
    /** Long, so that a hand-over woken by a poll rather than a release would show as a slow test, not a pass. */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static ScheduledExecutorService scheduler;
    private static LettuceConnectionFactory adminFactory;
    private static StringRedisTemplate admin;

    @BeforeAll
    static void startSchedulerAndAdmin() {
        scheduler = Executors.newScheduledThreadPool(1);
        adminFactory = TestClients.redis(redis.host(), redis.port());
        admin = new StringRedisTemplate(adminFactory);
    }

    @AfterAll
    static void stopSchedulerAndAdmin() {
        if (adminFactory != null) {
            adminFactory.destroy();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** A section: who held the lock, with which token. */
    private record Section(int thread, long token) {
    }

    @Test
    void localWaitersTakeTurnsWithoutAHerdOfScriptCalls() throws Exception {
        LettuceConnectionFactory factory = TestClients.redis(redis.host(), redis.port());
        RedisLockProvider provider = new RedisLockProvider(factory, new RedisKeyspace("ringlock-gate-test"), scheduler,
                event -> {
                }, POLL_INTERVAL);
        provider.afterPropertiesSet();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Section> log = new ArrayList<>();
            AtomicReference<Integer> holder = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            long scriptsBefore = RedisCommandStats.scriptCalls(admin);
            long deletesBefore = RedisCommandStats.of(admin).calls("del");
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
            long scripts = RedisCommandStats.scriptCalls(admin) - scriptsBefore;
            long deletes = RedisCommandStats.of(admin).calls("del") - deletesBefore;

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
            // A release on Redis deletes the lock key; a hand-over to the next local waiter does not.
            System.out.printf("lock keys deleted: %d for %d acquisitions%n", deletes, acquisitions);
            assertThat(deletes).as("releases on Redis rather than hand-overs").isLessThan(acquisitions / 2);
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

    /**
     * Waiters in another process (here another provider with its own connections) are not kept from the lock
     * by the hand-overs among this process's threads: every few hand-overs a holder releases on Redis, and the
     * other process's waiter gets its turn within its wait.
     */
    @Test
    void aWaiterInAnotherProcessGetsItsTurnWhileLocalThreadsHandTheLockOver() throws Exception {
        LettuceConnectionFactory busyFactory = TestClients.redis(redis.host(), redis.port());
        LettuceConnectionFactory otherFactory = TestClients.redis(redis.host(), redis.port());
        RedisKeyspace keyspace = new RedisKeyspace("ringlock-gate-test");
        RedisLockProvider busy = new RedisLockProvider(busyFactory, keyspace, scheduler, event -> {
        }, POLL_INTERVAL);
        RedisLockProvider other = new RedisLockProvider(otherFactory, keyspace, scheduler, event -> {
        }, POLL_INTERVAL);
        busy.afterPropertiesSet();
        other.afterPropertiesSet();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Long> tokens = new ArrayList<>();
            AtomicReference<String> holder = new AtomicReference<>();
            CountDownLatch otherDone = new CountDownLatch(1);
            CountDownLatch busyRunning = new CountDownLatch(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String name = "busy-" + t;
                done.add(threads.submit(() -> {
                    busyRunning.countDown();
                    while (otherDone.getCount() > 0) {
                        try (LockHandle handle = busy.tryAcquire(new LockRequest("shared", Duration.ofSeconds(60), LEASE))
                                .orElseThrow()) {
                            section(holder, tokens, name, handle);
                        }
                    }
                    return null;
                }));
            }
            assertThat(busyRunning.await(10, TimeUnit.SECONDS)).isTrue();
            Optional<LockHandle> acquired = other.tryAcquire(new LockRequest("shared", Duration.ofSeconds(20), LEASE));
            try {
                assertThat(acquired).as("the other process's waiter got its turn within its wait").isPresent();
                section(holder, tokens, "other", acquired.get());
            }
            finally {
                acquired.ifPresent(LockHandle::close);
                otherDone.countDown();
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            synchronized (tokens) {
                for (int i = 1; i < tokens.size(); i++) {
                    assertThat(tokens.get(i)).as("token of section %d", i).isGreaterThan(tokens.get(i - 1));
                }
            }
        }
        finally {
            threads.shutdownNow();
            busy.destroy();
            other.destroy();
            busyFactory.destroy();
            otherFactory.destroy();
        }
    }

    /** One critical section: alone in it, and its token logged in the order the sections ran. */
    private static void section(AtomicReference<String> holder, List<Long> tokens, String name, LockHandle handle) {
        assertThat(holder.compareAndSet(null, name)).as("no other holder than %s", name).isTrue();
        synchronized (tokens) {
            tokens.add(handle.fencingToken());
        }
        Thread.onSpinWait();
        assertThat(holder.compareAndSet(name, null)).isTrue();
    }
}
