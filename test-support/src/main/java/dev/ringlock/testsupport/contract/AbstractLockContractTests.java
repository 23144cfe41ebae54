package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link LockProvider} must pass, run against real servers by one subclass per backend:
 * mutual exclusion and fencing, waiting, hand-over between threads, input checks and lost locks, through
 * {@link DefaultLockTemplate} and the provider itself. Concurrency claims are checked from the outside, on a
 * shared log of enter/exit events. The {@code @DistributedLock} interceptor on top of a provider is
 * {@link AbstractDistributedLockInterceptorTests}'s.
 * <p>
 * A backend runs it with its {@link LockProviderFixture}, the one its interceptor tests use too: a subclass
 * registers the server extension, returns the fixture from {@link #fixture()}, and adds the tests only its
 * backend has (see {@link AbstractLockProviderTests}). The loss tests run only if
 * {@link LockProviderFixture#canLoseLocks()}.
 */
public abstract class AbstractLockContractTests extends AbstractLockProviderTests {

    /** Critical sections per thread in the mutual exclusion test; 8 clients x 4 threads x this must reach 5,000. */
    protected int sectionsPerThread() {
        return 160;
    }

    // ----------------------------------------------------------------- a. mutual exclusion and fencing

    private record Event(boolean enter, String key, long token, String thread, int client, long nanos) {
    }

    @Test
    void mutualExclusionAndFencingUnderContentionFromManyClients() throws Exception {
        int clientCount = 8;
        int threadsPerClient = 4;
        int perThread = sectionsPerThread();
        int expected = clientCount * threadsPerClient * perThread;
        assertThat(expected).as("critical sections in total").isGreaterThanOrEqualTo(5000);
        List<String> lockKeys = List.of(key("a"), key("b"), key("c"));
        List<Event> log = Collections.synchronizedList(new ArrayList<>(expected * 2));
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
            DefaultLockTemplate template = template(newClient());
            int client = c;
            for (int t = 0; t < threadsPerClient; t++) {
                int offset = t;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            String key = lockKeys.get((client + offset + i) % lockKeys.size());
                            int section = i;
                            template.executeWithLock(key, Duration.ofSeconds(60), () -> {
                                LockHandle handle = LockContext.current().orElseThrow();
                                String name = Thread.currentThread().getName();
                                log.add(new Event(true, key, handle.fencingToken(), name, client, System.nanoTime()));
                                if (!handle.isValid()) {
                                    throw new AssertionError("handle invalid inside its critical section: " + handle);
                                }
                                if (section % 8 == 0) {
                                    Thread.sleep(1); // simulated work, to widen the window for an overlap
                                }
                                else {
                                    Thread.yield();
                                }
                                log.add(new Event(false, key, handle.fencingToken(), name, client, System.nanoTime()));
                                return null;
                            });
                        }
                    }
                    catch (Throwable ex) {
                        failures.add(ex);
                    }
                }, "mutex-c" + c + "-t" + t);
                threads.add(thread);
                thread.start();
            }
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        assertThat(failures).as("failures in critical sections").isEmpty();

        List<Event> events;
        synchronized (log) {
            events = new ArrayList<>(log);
        }
        assertThat(events).hasSize(expected * 2);
        int entered = 0;
        for (String key : lockKeys) {
            Event open = null;
            long lastToken = 0;
            for (Event event : events) {
                if (!event.key().equals(key)) {
                    continue;
                }
                if (event.enter()) {
                    assertThat(open).as("enter %s while %s still inside on key %s", event, open, key).isNull();
                    assertThat(event.token()).as("fencing token of %s after token %d", event, lastToken)
                            .isGreaterThan(lastToken);
                    lastToken = event.token();
                    open = event;
                    entered++;
                }
                else {
                    assertThat(open).as("exit %s without a matching enter on key %s", event, key).isNotNull();
                    assertThat(event.token()).isEqualTo(open.token());
                    assertThat(event.thread()).isEqualTo(open.thread());
                    assertThat(event.client()).isEqualTo(open.client());
                    open = null;
                }
            }
            assertThat(open).as("section left open on key %s", key).isNull();
        }
        assertThat(entered).isEqualTo(expected);
    }

    // ----------------------------------------------------------------- b. waiting and hand-over

    @Test
    void releaseWorksFromAnotherThreadThanTheAcquiringOne() throws Exception {
        DefaultLockTemplate template = template(newClient());
        LockProvider other = newClient();
        String key = key("threads");
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor();
        try {
            LockHandle handle = a.submit(() -> template.acquire(key, Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);
            assertHeldElsewhere(other, key);
            b.submit(handle::close).get(10, TimeUnit.SECONDS);
            assertThat(handle.isValid()).isFalse();
            assertFree(other, key);
        }
        finally {
            a.shutdownNow();
            b.shutdownNow();
        }
    }

    @Test
    void closeOnAnInterruptedThreadReleasesToTheNextWaiterAndKeepsTheInterrupt() throws Exception {
        DefaultLockTemplate client = template(newClient());
        String key = key("interrupted-close");
        LockHandle handle = client.acquire(key, Duration.ZERO);
        // a waiter of the same client: where a backend hands the lock over in process, that is the path taken
        CompletableFuture<LockHandle> waiting = CompletableFuture.supplyAsync(() -> client.acquire(key, Duration.ofSeconds(30)));

        assertThat(InterruptedThread.close(handle)).as("the thread's interrupt, kept through close").isTrue();

        assertThat(handle.isValid()).isFalse();
        try (LockHandle next = waiting.get(10, TimeUnit.SECONDS)) {
            assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
        }
    }

    @Test
    void waiterAcquiresWhenTheHolderReleases() throws Exception {
        LockHandle held = template(newClient()).acquire(key("x"), Duration.ZERO);
        String key = held.key();
        DefaultLockTemplate waiter = template(newClient());
        CompletableFuture<LockHandle> waiting = CompletableFuture.supplyAsync(() -> waiter.acquire(key, Duration.ofSeconds(30)));
        assertThat(waiting).isNotDone();
        long beforeRelease = held.fencingToken();
        held.close();
        LockHandle next = waiting.get(15, TimeUnit.SECONDS);
        try {
            assertThat(next.fencingToken()).isGreaterThan(beforeRelease);
            assertThat(next.isValid()).isTrue();
        }
        finally {
            next.close();
        }
    }

    @Test
    void interruptedWaiterGivesUpAndLeavesNothingHeld() throws Exception {
        LockProvider waiterClient = newClient();
        String key = key("interrupted");
        LockHandle held = template(newClient()).acquire(key, Duration.ZERO);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            started.countDown();
            try {
                Optional<LockHandle> handle = waiterClient.tryAcquire(
                        new LockRequest(key, Duration.ofSeconds(30), fixture().leaseTime()));
                handle.ifPresent(LockHandle::close);
                outcome.complete(new AssertionError("waiter returned " + handle + " instead of being interrupted"));
            }
            catch (Throwable ex) {
                outcome.complete(ex);
            }
        }, "interrupted-waiter");
        waiter.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.WAITING
                || waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        held.close();
        // the interrupted waiter must not keep a place in the queue: a new client gets the lock at once
        try (LockHandle next = template(newClient()).acquire(key, Duration.ofSeconds(5))) {
            assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        }
    }

    // ----------------------------------------------------------------- c. handle basics and input checks

    @Test
    void closeIsIdempotentAndNeverReleasesALaterHoldersLock() {
        LockProvider first = newClient();
        LockProvider second = newClient();
        String key = key("idempotent");
        LockHandle handle = template(first).acquire(key, Duration.ZERO);
        assertThat(handle.isValid()).isTrue();
        assertThat(handle.key()).isEqualTo(key);
        assertThat(handle.fencingToken()).isPositive();
        handle.close();
        assertThat(handle.isValid()).isFalse();
        handle.close();

        try (LockHandle later = template(second).acquire(key, Duration.ofSeconds(5))) {
            assertThat(later.fencingToken()).isGreaterThan(handle.fencingToken());
            handle.close();
            assertThat(later.isValid()).isTrue();
            assertHeldElsewhere(newClient(), key);
        }
    }

    @Test
    void tryAcquireWithZeroWaitOnAHeldKeyReturnsEmptyQuickly() {
        String key = key("zero");
        try (LockHandle held = template(newClient()).acquire(key, Duration.ZERO)) {
            DefaultLockTemplate other = template(newClient());
            other.tryAcquire(key("warm-up"), Duration.ZERO).ifPresent(LockHandle::close);
            long start = System.nanoTime();
            Optional<LockHandle> attempt = other.tryAcquire(key, Duration.ZERO);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            attempt.ifPresent(LockHandle::close);
            assertThat(attempt).isEmpty();
            assertThat(tookMillis).as("milliseconds a zero-wait attempt took").isLessThan(500);
            assertThat(held.isValid()).isTrue();
        }
    }

    @Test
    void timedWaitOnAHeldKeyGivesUpAfterTheWaitTime() {
        String key = key("timed");
        try (LockHandle held = template(newClient()).acquire(key, Duration.ZERO)) {
            DefaultLockTemplate other = template(newClient());
            long start = System.nanoTime();
            assertThatThrownBy(() -> other.acquire(key, Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(LockNotAcquiredException.class, ex -> assertThat(ex.key()).isEqualTo(key));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isBetween(290L, 5000L);
        }
    }

    @Test
    void badInputIsRefusedNamingTheArgument() {
        DefaultLockTemplate template = template(newClient());
        assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquire("  ", Duration.ZERO))
                .withMessageContaining("'key'");
        assertThatIllegalArgumentException().isThrownBy(() -> template.acquire("", Duration.ZERO))
                .withMessageContaining("'key'");
        assertThatIllegalArgumentException().isThrownBy(() -> template.executeWithLock(" ", Duration.ZERO, () -> 1))
                .withMessageContaining("'key'");
        assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquire(key("neg"), Duration.ofMillis(-1)))
                .withMessageContaining("'waitTime'");
        assertThatIllegalArgumentException().isThrownBy(() -> template.acquire(key("neg"), Duration.ofSeconds(-5)))
                .withMessageContaining("'waitTime'");
    }

    // ----------------------------------------------------------------- d. lost locks

    @Test
    void lostLockIsReportedAndTheNextHolderGetsALargerToken() throws Exception {
        assumeThat(fixture().canLoseLocks()).as("backend can lose locks").isTrue();
        LockProvider holder = newClient();
        LockProvider other = newClient();
        String key = key("lost");
        LockHandle handle = template(holder).acquire(key, Duration.ZERO);
        assertThat(handle.isValid()).isTrue();

        fixture().loseLock(handle, holder);

        await().atMost(fixture().lossDetectionTimeout()).until(() -> !handle.isValid());
        await().atMost(fixture().lossDetectionTimeout()).untilAsserted(() -> assertThat(lossEvents(holder))
                .anySatisfy(event -> {
                    assertThat(event.key()).isEqualTo(key);
                    assertThat(event.fencingToken()).isEqualTo(handle.fencingToken());
                }));
        assertThat(lossEvents(holder)).hasSize(1);
        try (LockHandle next = template(other).acquire(key, Duration.ofSeconds(15))) {
            assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
            handle.close(); // a late close of the lost handle must not release the new holder's lock
            assertThat(next.isValid()).isTrue();
            assertHeldElsewhere(newClient(), key);
        }
    }

    @Test
    void aLockLostUnnoticedAndClosedOnAnInterruptedThreadIsReportedLost() throws Exception {
        assumeThat(fixture().canLoseLocks()).as("backend can lose locks").isTrue();
        LockProvider holder = newClient();
        String key = key("lost-interrupted-close");
        LockHandle handle = template(holder).acquire(key, Duration.ZERO);

        fixture().loseLock(handle, holder);
        // where the holder has not yet seen the loss, its release is what finds it, and must not give up
        assertThat(InterruptedThread.close(handle)).as("the thread's interrupt, kept through close").isTrue();

        await().atMost(fixture().lossDetectionTimeout()).untilAsserted(() -> assertThat(lossEvents(holder))
                .singleElement().satisfies(event -> {
                    assertThat(event.key()).isEqualTo(key);
                    assertThat(event.fencingToken()).isEqualTo(handle.fencingToken());
                }));
        assertFree(newClient(), key);
    }

    // ----------------------------------------------------------------- e. holds (holdAtLeast)

    /** Long enough that a close and a look from another client fit well within it on a busy machine. */
    private static final Duration HOLD = Duration.ofSeconds(2);

    @Test
    void lockClosedBeforeItsHoldEndsStaysHeldElsewhereUntilTheHoldEnds() {
        LockProvider other = newClient();
        String key = key("hold");
        Optional<LockHandle> held = template(newClient()).tryAcquire(key, Duration.ZERO, null, HOLD);
        assertThat(held).isPresent();
        LockHandle handle = held.get();
        handle.close();
        assertThat(handle.isValid()).as("a closed handle, hold or not").isFalse();

        assertHeldElsewhere(other, key);
        long next = await().atMost(HOLD.plusSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> tryTake(other, key), token -> token > 0);
        assertThat(next).isGreaterThan(handle.fencingToken());
    }

    @Test
    void waiterTakesALockClosedBeforeItsHoldWhenTheHoldEnds() throws Exception {
        String key = key("hold-waiter");
        LockHandle handle = template(newClient()).tryAcquire(key, Duration.ZERO, fixture().leaseTime(), HOLD).orElseThrow();
        DefaultLockTemplate waiter = template(newClient());
        handle.close();
        CompletableFuture<LockHandle> waiting = CompletableFuture.supplyAsync(() -> waiter.acquire(key, Duration.ofSeconds(30)));
        LockHandle next = waiting.get(HOLD.plusSeconds(20).toSeconds(), TimeUnit.SECONDS);
        try {
            assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
            assertThat(next.isValid()).isTrue();
        }
        finally {
            next.close();
        }
    }

    @Test
    void lockClosedAfterItsHoldIsReleasedAtOnce() {
        Duration hold = Duration.ofMillis(200);
        LockProvider other = newClient();
        String key = key("hold-over");
        LockHandle handle = template(newClient()).tryAcquire(key, Duration.ZERO, null, hold).orElseThrow();
        long acquired = System.nanoTime();
        // the work outlasts the hold (with room for the clocks of client and server to differ in rate)
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.nanoTime() - acquired > hold.plusMillis(100).toNanos());
        assertThat(handle.isValid()).isTrue();
        handle.close();

        assertThat(assertFree(other, key)).isGreaterThan(handle.fencingToken());
    }

    @Test
    void executeWithLockKeepsTheHoldAndANegativeHoldIsRefused() {
        DefaultLockTemplate template = template(newClient());
        LockProvider other = newClient();
        String key = key("hold-execute");
        long token = template.executeWithLock(key, Duration.ZERO, HOLD, () -> LockContext.current().orElseThrow().fencingToken());
        assertHeldElsewhere(other, key);
        long next = await().atMost(HOLD.plusSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> tryTake(other, key), t -> t > 0);
        assertThat(next).isGreaterThan(token);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> template.tryAcquire(key, Duration.ZERO, null, Duration.ofMillis(-1)))
                .withMessageContaining("'holdAtLeast'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> template.executeWithLock(key, Duration.ZERO, Duration.ofSeconds(-1), () -> 1))
                .withMessageContaining("'holdAtLeast'");
    }

    /** The token of the lock on {@code key}, taken by {@code client} at once and given back; 0 if it was held. */
    private long tryTake(LockProvider client, String key) {
        Optional<LockHandle> handle = template(client).tryAcquire(key, Duration.ZERO);
        handle.ifPresent(LockHandle::close);
        return handle.map(LockHandle::fencingToken).orElse(0L);
    }
}
