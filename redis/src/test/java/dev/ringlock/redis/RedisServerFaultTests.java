package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.redis.RedisLockClients.Client;
import dev.ringlock.redis.RedisLockClients.Loss;
import dev.ringlock.testsupport.contract.FencedResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redis locks while the server itself fails: killed with SIGKILL and restarted without its data, and frozen
 * with SIGSTOP for longer than a lease. Each client has its own connection factory, as a separate process
 * would; a {@link FencedResource} stands for the data the locks guard.
 */
@Tag("fault")
class RedisServerFaultTests extends AbstractRedisFaultTests {

    private static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-fault");

    RedisServerFaultTests() {
        super(KEYSPACE);
    }

    @BeforeEach
    void requireFaults() {
        assumeTrue(redis.server().supportsFaults(), "the server can be killed and paused");
    }

    @Test
    void killDuringContentionLosesTheLeasesEndsTheWaitsInTimeAndLocksWorkAfterTheRestart() throws Exception {
        String key = key("contended");
        FencedResource resource = new FencedResource();
        List<Client> contenders = List.of(client(), client(), client(), client());
        Client longHolder = client();
        LockHandle held = longHolder.template().acquire(key("long"), Duration.ZERO);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acquisitions = new AtomicInteger();
        Queue<long[]> failedWaits = new ConcurrentLinkedQueue<>(); // {start nanos, millis taken}
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Client client = contenders.get(i % contenders.size());
            String name = "worker-" + i;
            threads.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try (LockHandle handle = client.template().acquire(key, WAIT)) {
                        acquisitions.incrementAndGet();
                        if (handle.isValid()) {
                            resource.write(handle.fencingToken(), name);
                        }
                        Thread.sleep(5); // hold time
                    }
                    catch (LockNotAcquiredException ex) {
                        failedWaits.add(new long[] {start, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)});
                    }
                    catch (Throwable ex) {
                        unexpected.add(ex);
                    }
                }
            }, executor));
        }
        CounterRun counters = new CounterRun(key("counter"), stop);
        threads.add(CompletableFuture.runAsync(counters, executor));
        threads.add(CompletableFuture.runAsync(counters, executor));

        await().atMost(Duration.ofSeconds(20)).until(() -> acquisitions.get() >= 40 && counters.calls() >= 40);
        long killedAt = System.nanoTime();
        redis.server().kill();

        // The holder's renewals go unanswered: the watchdog gives the lease up when it has run out.
        await().atMost(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).multipliedBy(2))
                .until(() -> !longHolder.losses().isEmpty());
        Loss loss = longHolder.losses().get(0);
        assertThat(loss.event().fencingToken()).isEqualTo(held.fencingToken());
        assertThat(held.isValid()).isFalse();
        long lostAfterMillis = TimeUnit.NANOSECONDS.toMillis(loss.atNanos() - killedAt);
        // renewed at most one period before the kill, so the lease ran at least two periods past it
        assertThat(lostAfterMillis).as("ms from the kill to the loss")
                .isGreaterThanOrEqualTo(RENEWAL_PERIOD.multipliedBy(2).toMillis() - 50)
                .isLessThanOrEqualTo(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).toMillis());
        // Every contender has given up at least once while the server was down.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> failedWaits.stream().filter(wait -> wait[0] - killedAt > 0).count() >= 8);
        int beforeRestart = acquisitions.get();

        redis.server().restart();

        await().atMost(Duration.ofSeconds(40)).until(() -> acquisitions.get() >= beforeRestart + 40);
        int callsAfterRestart = counters.calls();
        await().atMost(Duration.ofSeconds(40)).until(() -> counters.calls() >= callsAfterRestart + 40);
        stop.set(true);
        CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        held.close();

        assertThat(unexpected).as("failures other than LockNotAcquiredException").isEmpty();
        assertThat(failedWaits).as("waits that ended without the lock")
                .allSatisfy(wait -> assertThat(wait[1]).isLessThanOrEqualTo(FAILED_WAIT_BOUND.toMillis()));
        // tokens kept increasing across the restart that lost the fence keys: the resource refused nothing
        assertThat(resource.rejected()).isEmpty();
        assertThat(resource.acceptedTokens()).hasSizeGreaterThanOrEqualTo(beforeRestart + 40);
        counters.assertNoDuplicateWithinEachServerLife();
        assertThat(longHolder.losses()).as("one loss event per lost handle").hasSize(1);
    }

    @Test
    void restartWithoutTheDataGivesTheLockAwayAndFencingRefusesTheOldHolder() throws Exception {
        String key = key("restart");
        FencedResource resource = new FencedResource();
        Client holder = client();
        Client waiter = client();
        LockHandle old = holder.template().acquire(key, Duration.ZERO);
        assertThat(resource.write(old.fencingToken(), "old holder")).isTrue();
        CompletableFuture<LockHandle> next = CompletableFuture.supplyAsync(
                () -> waiter.template().acquire(key, Duration.ofSeconds(30)), executor);
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.provider().waitingKeys() == 1);

        redis.server().kill();
        long restartedAt = System.nanoTime();
        redis.server().restart();

        // The restarted server knows no lock: the waiter gets it while the old holder may still trust its lease.
        LockHandle newer = next.get(30, TimeUnit.SECONDS);
        try {
            assertThat(newer.fencingToken()).as("token after the restart, floored by the server's TIME")
                    .isGreaterThan(old.fencingToken());
            assertThat(resource.write(newer.fencingToken(), "new holder")).isTrue();
            assertThat(resource.write(old.fencingToken(), "old holder")).as("the old holder's late write").isFalse();

            // The old holder's next renewal finds the lock gone; at the latest its lease runs out.
            await().atMost(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).multipliedBy(2))
                    .until(() -> !holder.losses().isEmpty());
            assertThat(old.isValid()).isFalse();
            assertThat(holder.losses().get(0).atNanos() - restartedAt).as("nanos from the restart to the loss")
                    .isLessThanOrEqualTo(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).toNanos());
            old.close(); // must not release the new holder's lock
            assertThat(newer.isValid()).isTrue();
            assertThat(client().template().tryAcquire(key, Duration.ZERO)).isEmpty();
        }
        finally {
            newer.close();
            old.close();
        }
    }

    @Test
    void serverPausedPastTheLeaseLosesTheLockAndAWaiterAfterTheResumeGetsALargerToken() throws Exception {
        String key = key("paused");
        Client holder = client();
        Client waiter = client();
        LockHandle old = holder.template().acquire(key, Duration.ZERO);
        long pausedAt = System.nanoTime();
        redis.server().pause();
        try {
            await().atMost(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).multipliedBy(2))
                    .until(() -> !holder.losses().isEmpty());
            assertThat(old.isValid()).isFalse();
            long lostAfterMillis = TimeUnit.NANOSECONDS.toMillis(holder.losses().get(0).atNanos() - pausedAt);
            assertThat(lostAfterMillis).as("ms from the pause to the loss")
                    .isGreaterThanOrEqualTo(RENEWAL_PERIOD.multipliedBy(2).toMillis() - 50)
                    .isLessThanOrEqualTo(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).toMillis());

            // A waiter on the frozen server ends in its wait time, with what failed as the cause.
            long start = System.nanoTime();
            assertThatThrownBy(() -> waiter.template().acquire(key, WAIT))
                    .isInstanceOf(LockNotAcquiredException.class)
                    .hasCauseInstanceOf(LockBackendException.class)
                    .hasMessageContaining(key);
            assertThat(System.nanoTime() - start).isLessThanOrEqualTo(FAILED_WAIT_BOUND.toNanos());
        }
        finally {
            redis.server().resume();
        }
        LockHandle next = waiter.template().acquire(key, Duration.ofSeconds(10));
        try {
            assertThat(next.fencingToken()).isGreaterThan(old.fencingToken());
            old.close();
            assertThat(next.isValid()).isTrue();
            assertThat(holder.losses()).hasSize(1);
        }
        finally {
            next.close();
        }
    }

    @Test
    void anInterruptWhileTheReleaseAwaitsAPausedServerNeitherEndsTheWaitNorHidesTheLossTheReleaseFinds()
            throws Exception {
        String key = key("interrupted-release");
        Client holder = client();
        LockHandle handle = holder.template().acquire(key, Duration.ZERO);
        // lost unnoticed, as a lease that ran out would be: only the release's answer can tell the holder
        StringRedisTemplate admin = new StringRedisTemplate(clients.connectionFactory(redis.host(), redis.port()));
        assertThat(admin.delete(((RedisLockHandle) handle).lockKey())).as("lock key existed").isTrue();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            handle.close();
            interruptKept.set(Thread.currentThread().isInterrupted());
        }, "closer");
        redis.server().pause();
        try {
            closer.start();
            await().atMost(SLACK).until(() -> awaitsAnAnswer(closer));
            // a task cancelled while its finally block releases: the interrupt comes during the wait, not before it
            closer.interrupt();
        }
        finally {
            redis.server().resume();
        }
        closer.join(SLACK.plus(RedisLockProvider.MIN_REPLY_WAIT).toMillis());
        assertThat(closer.isAlive()).as("close still running").isFalse();
        assertThat(interruptKept).as("the interrupt, kept through close").isTrue();
        await().atMost(SLACK).untilAsserted(() -> assertThat(holder.losses()).singleElement()
                .satisfies(loss -> {
                    assertThat(loss.event().key()).isEqualTo(key);
                    assertThat(loss.event().fencingToken()).isEqualTo(handle.fencingToken());
                }));
    }

    /** Whether {@code thread} waits, with a time limit, for an answer: a release sent to a frozen server. */
    private static boolean awaitsAnAnswer(Thread thread) {
        return thread.getState() == Thread.State.TIMED_WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(CompletableFuture.class.getName()));
    }

    @Test
    void readAndPermitLocksOnAPausedServerAreLostAndTheirWaitersGetTheCause() throws Exception {
        String key = key("paused-shared");
        String permitKey = key("paused-permits");
        Client holder = client();
        Client waiter = client();
        LockHandle reader = holder.template().tryAcquireRead(key, Duration.ZERO).orElseThrow();
        LockHandle permit = holder.template().tryAcquirePermit(permitKey, 2, Duration.ZERO).orElseThrow();
        redis.server().pause();
        try {
            await().atMost(LEASE.plus(RENEWAL_PERIOD).plus(SLACK).multipliedBy(2))
                    .until(() -> holder.losses().size() == 2);
            assertThat(reader.isValid()).isFalse();
            assertThat(permit.isValid()).isFalse();

            // waiters of either kind on the frozen server end when their wait does, with what failed as the cause
            assertThatThrownBy(() -> waiter.template().tryAcquireRead(key, WAIT))
                    .isInstanceOf(LockNotAcquiredException.class)
                    .hasCauseInstanceOf(LockBackendException.class)
                    .hasMessageContaining(key);
            assertThatThrownBy(() -> waiter.template().tryAcquirePermit(permitKey, 2, WAIT))
                    .isInstanceOf(LockNotAcquiredException.class)
                    .hasCauseInstanceOf(LockBackendException.class)
                    .hasMessageContaining(permitKey);
        }
        finally {
            redis.server().resume();
        }
        // the paused server's clock ran on: both leases have ended, so a writer and two permit holders get in
        try (LockHandle writer = waiter.template().tryAcquire(key, Duration.ofSeconds(10)).orElseThrow();
                LockHandle first = waiter.template().tryAcquirePermit(permitKey, 2, Duration.ofSeconds(10)).orElseThrow();
                LockHandle second = waiter.template().tryAcquirePermit(permitKey, 2, Duration.ZERO).orElseThrow()) {
            assertThat(writer.fencingToken()).isGreaterThan(reader.fencingToken());
            assertThat(first.fencingToken()).isGreaterThan(permit.fencingToken());
            assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
            reader.close();
            permit.close();
            assertThat(writer.isValid()).isTrue();
            assertThat(waiter.template().tryAcquirePermit(permitKey, 2, Duration.ZERO)).as("a third permit holder")
                    .isEmpty();
        }
        finally {
            reader.close();
            permit.close();
        }
    }

    /** Increments one counter from each thread that runs it, from a connection factory of its own, until stopped. */
    private final class CounterRun implements Runnable {

        private final String name;
        private final AtomicBoolean stop;
        /** The values each thread got, in order. */
        private final Queue<List<Long>> values = new ConcurrentLinkedQueue<>();
        private final Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        private final AtomicInteger calls = new AtomicInteger();

        CounterRun(String name, AtomicBoolean stop) {
            this.name = name;
            this.stop = stop;
        }

        int calls() {
            return calls.get();
        }

        @Override
        public void run() {
            LettuceConnectionFactory factory = clients.connectionFactory(redis.host(), redis.port());
            List<Long> got = new ArrayList<>();
            values.add(got);
            try {
                RedisCounterStore store = new RedisCounterStore(factory, KEYSPACE);
                while (!stop.get()) {
                    try {
                        long value = store.addAndGet(name, 1);
                        synchronized (got) {
                            got.add(value);
                        }
                        calls.incrementAndGet();
                    }
                    catch (CounterBackendException ex) {
                        // Redis was down: the update may or may not have counted (CounterOutcomeUnknownException)
                    }
                    catch (Throwable ex) {
                        unexpected.add(ex);
                    }
                }
            }
            finally {
                factory.stop();
            }
        }

        /**
         * Without persistence the restarted server counts from 0 again (as the README says); within each life of
         * the server no value was handed out twice.
         */
        void assertNoDuplicateWithinEachServerLife() {
            assertThat(unexpected).as("counter failures other than CounterBackendException").isEmpty();
            Set<Long> before = new HashSet<>();
            Set<Long> after = new HashSet<>();
            for (List<Long> got : values) {
                synchronized (got) {
                    // each thread's values increase within one life of the server; the first drop is the restart
                    Set<Long> life = before;
                    long previous = 0;
                    for (long value : got) {
                        if (value < previous) {
                            assertThat(life).as("a second restart").isSameAs(before);
                            life = after;
                        }
                        assertThat(life.add(value)).as("value %d handed out twice in one life", value).isTrue();
                        previous = value;
                    }
                }
            }
            assertThat(after).as("values after the restart").isNotEmpty().contains(1L);
        }
    }
}
