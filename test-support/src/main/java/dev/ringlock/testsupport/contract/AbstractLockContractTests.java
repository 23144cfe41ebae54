package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.DistributedLockAdvisor;
import dev.ringlock.lock.DistributedLockInterceptor;
import dev.ringlock.lock.FailureStrategy;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostException;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.aop.framework.ProxyFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link LockProvider} must pass, run against real servers by one subclass per backend.
 * <p>
 * Each "client" from {@link #newClient()} stands for a separate process: its own connection factory or
 * Curator client. Concurrency claims are checked from the outside, on a shared log of enter/exit events.
 * Subclasses start their server once per class and close the clients made for a test after it, checking
 * with {@link #assertNothingLeftBehind(LockProvider)} that the test's handles left no state behind.
 */
public abstract class AbstractLockContractTests {

    /** The clients made for the current test, with the loss events each one reported. */
    private final Map<LockProvider, List<LockLostEvent>> clients = Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    private String testName = "test";

    private final AtomicInteger keys = new AtomicInteger();

    // ----------------------------------------------------------------- backend hooks

    /** A new client standing for a separate process, reporting lost locks to {@code lossListener}. */
    protected abstract LockProvider createClient(LockLossListener lossListener);

    /** Closes a client made by {@link #createClient}. */
    protected abstract void closeClient(LockProvider client) throws Exception;

    /** Checks that a client whose handles were all closed keeps no waiter, lease or handle state. */
    protected void assertNothingLeftBehind(LockProvider client) {
    }

    /** Whether this backend can lose a held lock (lease or session end); {@link #loseLock} must work if so. */
    protected boolean canLoseLocks() {
        return true;
    }

    /**
     * Makes the server forget, or give away, the lock held through {@code handle} by {@code holderClient},
     * as an expired lease or session would; the holder must find out by itself.
     */
    protected void loseLock(LockHandle handle, LockProvider holderClient) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot lose locks");
    }

    /** The lease of locks acquired through templates here; short on lease-based backends, so the watchdog works. */
    protected Duration leaseTime() {
        return Duration.ofSeconds(30);
    }

    /** Critical sections per thread in the mutual exclusion test; 8 clients x 4 threads x this must reach 5,000. */
    protected int sectionsPerThread() {
        return 160;
    }

    /** How long a lost lock may take to be noticed. */
    protected Duration lossDetectionTimeout() {
        return Duration.ofSeconds(10);
    }

    // ----------------------------------------------------------------- helpers for tests and subclasses

    @BeforeEach
    void rememberTestName(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    @AfterEach
    void closeClients() throws Exception {
        List<LockProvider> made;
        synchronized (clients) {
            made = new ArrayList<>(clients.keySet());
            clients.clear();
        }
        AssertionError leftBehind = null;
        for (LockProvider client : made) {
            try {
                assertNothingLeftBehind(client);
            }
            catch (AssertionError ex) {
                leftBehind = leftBehind == null ? ex : leftBehind;
            }
            finally {
                closeClient(client);
            }
        }
        if (leftBehind != null) {
            throw leftBehind;
        }
    }

    /** A new client (a separate process); its loss events are in {@link #lossEvents(LockProvider)}. */
    protected final LockProvider newClient() {
        List<LockLostEvent> events = new CopyOnWriteArrayList<>();
        LockProvider client = createClient(events::add);
        clients.put(client, events);
        return client;
    }

    /** The loss events reported to the listener of {@code client}. */
    protected final List<LockLostEvent> lossEvents(LockProvider client) {
        List<LockLostEvent> events = clients.get(client);
        assertThat(events).as("loss events of a client made by newClient()").isNotNull();
        return events;
    }

    protected final DefaultLockTemplate template(LockProvider client) {
        return new DefaultLockTemplate(client, leaseTime(), LockLostPolicy.THROW);
    }

    /** A key no other test (or earlier run against the same server) uses. */
    protected final String key(String name) {
        return testName + ":" + name + ":" + keys.incrementAndGet() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected final LockedService service(LockProvider client) {
        LockedService target = new LockedService();
        LockedService proxy = proxy(target, client);
        target.self = proxy;
        return proxy;
    }

    /** A class proxy of {@code target} whose {@link DistributedLock} methods lock through {@code client}. */
    @SuppressWarnings("unchecked")
    protected final <T> T proxy(T target, LockProvider client) {
        DistributedLockInterceptor interceptor = new DistributedLockInterceptor(template(client), Duration.ofSeconds(5), null);
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new DistributedLockAdvisor(interceptor));
        return (T) factory.getProxy();
    }

    /** Asserts that {@code client} can take the lock on {@code key} at once, and gives it back. */
    protected final long assertFree(LockProvider client, String key) {
        Optional<LockHandle> handle = template(client).tryAcquire(key, Duration.ZERO);
        assertThat(handle).as("lock '%s' should be free", key).isPresent();
        handle.get().close();
        return handle.get().fencingToken();
    }

    /** Asserts that {@code client} cannot take the lock on {@code key} now. */
    protected final void assertHeldElsewhere(LockProvider client, String key) {
        Optional<LockHandle> handle = template(client).tryAcquire(key, Duration.ZERO);
        handle.ifPresent(LockHandle::close);
        assertThat(handle).as("lock '%s' should be held by someone else", key).isEmpty();
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

    // ----------------------------------------------------------------- b. re-entry

    @Test
    void nestedAnnotatedCallOnTheSameKeyReentersWithTheSameHandle() {
        LockedService service = service(newClient());
        String key = key("reentry");
        assertThat(LockContext.current()).isEmpty();

        LockHandle[] seen = service.outer(key);

        assertThat(seen[0]).isNotNull();
        assertThat(seen[1]).as("inner call sees the outer call's handle").isSameAs(seen[0]);
        assertThat(seen[0].key()).isEqualTo(key);
        assertThat(LockContext.current()).as("no handle outside annotated methods").isEmpty();
        assertThat(seen[0].isValid()).as("released after the outer call").isFalse();
        assertFree(newClient(), key);
    }

    @Test
    void nestedCallOnAnotherKeyTakesItsOwnLockAndRestoresTheOuterHandle() {
        LockedService service = service(newClient());
        LockHandle[] seen = service.outerWithOtherKey(key("outer"), key("inner"));
        assertThat(seen[1]).isNotSameAs(seen[0]);
        assertThat(seen[1].key()).isNotEqualTo(seen[0].key());
        assertThat(seen[2]).as("outer handle is current again after the inner call").isSameAs(seen[0]);
        assertThat(LockContext.current()).isEmpty();
    }

    // ----------------------------------------------------------------- c. annotation semantics

    @Test
    void skipReturnsNullOrEmptyWhenTheLockIsHeldByAnotherClient() {
        LockedService service = service(newClient());
        String key = key("skip");
        try (LockHandle held = template(newClient()).acquire(key, Duration.ofSeconds(5))) {
            assertThat(service.skipping(key)).isNull();
            assertThat(service.skippingOptional(key)).isEmpty();
            assertThat(service.calls()).as("the method body did not run").isZero();
        }
        assertThat(service.skipping(key)).isEqualTo("ran " + key);
        assertThat(service.skippingOptional(key)).contains("ran " + key);
        assertThat(service.calls()).isEqualTo(2);
    }

    @Test
    void throwStrategyThrowsLockNotAcquiredNamingTheKey() {
        LockedService service = service(newClient());
        String key = key("throw");
        try (LockHandle held = template(newClient()).acquire(key, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> service.throwing(key)).isInstanceOfSatisfying(LockNotAcquiredException.class, ex -> {
                assertThat(ex.key()).isEqualTo(key);
                assertThat(ex.getMessage()).contains("'" + key + "'");
            });
            assertThat(service.calls()).isZero();
        }
    }

    @Test
    void lockIsReleasedWhenTheMethodThrows() {
        LockedService service = service(newClient());
        String key = key("failing");
        assertThatThrownBy(() -> service.failing(key)).isInstanceOf(IllegalStateException.class).hasMessage("boom " + key);
        assertFree(newClient(), key);
    }

    @Test
    void completionStageKeepsTheLockUntilItCompletes() {
        LockedService service = service(newClient());
        LockProvider other = newClient();
        String key = key("async");
        CompletableFuture<String> gate = new CompletableFuture<>();

        CompletionStage<String> result = service.async(key, gate);

        assertThat(result.toCompletableFuture()).isNotDone();
        assertHeldElsewhere(other, key);
        gate.complete("done");
        assertThat(result.toCompletableFuture().join()).isEqualTo("done " + key);
        assertFree(other, key);
    }

    @Test
    void failedCompletionStageReleasesTheLock() {
        LockedService service = service(newClient());
        LockProvider other = newClient();
        String key = key("async-fail");
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletionStage<String> result = service.async(key, gate);
        assertHeldElsewhere(other, key);
        gate.completeExceptionally(new IllegalStateException("async boom"));
        assertThatThrownBy(() -> result.toCompletableFuture().join()).hasRootCauseMessage("async boom");
        assertFree(other, key);
    }

    @Test
    void monoKeepsTheLockUntilItCompletes() throws Exception {
        LockedService service = service(newClient());
        LockProvider other = newClient();
        String key = key("mono");
        Sinks.One<String> sink = Sinks.one();
        CountDownLatch entered = new CountDownLatch(1);

        Mono<String> mono = service.reactive(key, sink, entered);
        assertFree(other, key); // nothing is held before subscription
        CompletableFuture<String> result = mono.toFuture();

        assertThat(entered.await(10, TimeUnit.SECONDS)).as("method body ran after subscription").isTrue();
        assertHeldElsewhere(other, key);
        assertThat(result).isNotDone();
        sink.tryEmitValue("value").orThrow();
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("value");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertFree(other, key));
    }

    @Test
    void fluxKeepsTheLockUntilItsLastElement() throws Exception {
        LockedService service = service(newClient());
        LockProvider other = newClient();
        String key = key("flux");
        Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();

        Flux<String> flux = service.stream(key, sink);
        assertFree(other, key); // nothing is held before subscription
        CompletableFuture<List<String>> result = flux.collectList().toFuture();

        sink.tryEmitNext("first").orThrow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertHeldElsewhere(other, key));
        sink.tryEmitNext("second").orThrow();
        assertHeldElsewhere(other, key);
        sink.tryEmitComplete().orThrow();
        assertThat(result.get(10, TimeUnit.SECONDS)).containsExactly("first", "second");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertFree(other, key));
    }

    @Test
    void monoSkipsOrFailsWhenHeldElsewhereAndReleasesAfterAnEmptyResult() {
        LockedService service = service(newClient());
        LockProvider other = newClient();
        String key = key("mono-held");
        try (LockHandle held = template(other).acquire(key, Duration.ZERO)) {
            assertThat(service.reactiveSkipping(key).blockOptional(Duration.ofSeconds(10))).isEmpty();
            assertThatThrownBy(() -> service.reactiveThrowing(key).block(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(LockNotAcquiredException.class, ex -> assertThat(ex.key()).isEqualTo(key));
            assertThat(service.calls()).as("no method body ran").isZero();
        }
        assertThat(service.reactiveSkipping(key).blockOptional(Duration.ofSeconds(10))).isEmpty();
        assertThat(service.calls()).isEqualTo(1);
        assertFree(other, key);
    }

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
                Optional<LockHandle> handle = waiterClient.tryAcquire(new LockRequest(key, Duration.ofSeconds(30), leaseTime()));
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

    // ----------------------------------------------------------------- d. handle basics and input checks

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

    // ----------------------------------------------------------------- e. lost locks

    @Test
    void lostLockIsReportedAndTheNextHolderGetsALargerToken() throws Exception {
        assumeThat(canLoseLocks()).as("backend can lose locks").isTrue();
        LockProvider holder = newClient();
        LockProvider other = newClient();
        String key = key("lost");
        LockHandle handle = template(holder).acquire(key, Duration.ZERO);
        assertThat(handle.isValid()).isTrue();

        loseLock(handle, holder);

        await().atMost(lossDetectionTimeout()).until(() -> !handle.isValid());
        await().atMost(lossDetectionTimeout()).untilAsserted(() -> assertThat(lossEvents(holder))
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
    void annotatedMethodWhoseLockIsLostThrowsLockLostAfterReturning() {
        assumeThat(canLoseLocks()).as("backend can lose locks").isTrue();
        LockProvider holder = newClient();
        LockedService service = service(holder);
        String key = key("lost-annotated");
        AtomicInteger finished = new AtomicInteger();

        assertThatThrownBy(() -> service.losing(key, losingItFor(holder).andThen(handle -> finished.incrementAndGet()))).isInstanceOfSatisfying(LockLostException.class, ex -> assertThat(ex.key()).isEqualTo(key));
        assertThat(finished.get()).as("the method body ran to its end").isEqualTo(1);
        await().atMost(lossDetectionTimeout()).untilAsserted(
                () -> assertThat(lossEvents(holder)).extracting(LockLostEvent::key).containsExactly(key));
        assertFree(newClient(), key);
    }

    @Test
    void monoWhoseLockIsLostEndsWithLockLost() {
        assumeThat(canLoseLocks()).as("backend can lose locks").isTrue();
        LockProvider holder = newClient();
        LockedService service = service(holder);
        String key = key("lost-mono");

        Mono<String> mono = service.losingReactive(key, losingItFor(holder));

        assertThatThrownBy(mono::block)
                .isInstanceOfSatisfying(LockLostException.class, ex -> assertThat(ex.key()).isEqualTo(key));
        await().atMost(lossDetectionTimeout()).untilAsserted(
                () -> assertThat(lossEvents(holder)).extracting(LockLostEvent::key).containsExactly(key));
        assertFree(newClient(), key);
    }

    @Test
    void fluxWhoseLockIsLostEndsWithLockLostAfterItsElements() {
        assumeThat(canLoseLocks()).as("backend can lose locks").isTrue();
        LockProvider holder = newClient();
        LockedService service = service(holder);
        String key = key("lost-flux");
        List<String> received = new CopyOnWriteArrayList<>();

        Flux<String> flux = service.losingStream(key, losingItFor(holder));

        assertThatThrownBy(() -> flux.doOnNext(received::add).blockLast())
                .isInstanceOfSatisfying(LockLostException.class, ex -> assertThat(ex.key()).isEqualTo(key));
        assertThat(received).containsExactly("a", "b");
        assertFree(newClient(), key);
    }

    /** For a method body: loses its lock and waits until the handle knows. */
    private Consumer<LockHandle> losingItFor(LockProvider holder) {
        return handle -> {
            try {
                loseLock(handle, holder);
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            await().atMost(lossDetectionTimeout()).until(() -> !handle.isValid());
        };
    }

    // ----------------------------------------------------------------- the annotated test service

    /** Methods under {@link DistributedLock}; called through a proxy made by {@link #service(LockProvider)}. */
    public static class LockedService {

        /** The proxy, so that nested calls go through the interceptor. */
        LockedService self;

        private final AtomicInteger calls = new AtomicInteger();

        /** How many times a counted method body ran (a method, so that it reaches the target through the proxy). */
        public int calls() {
            return calls.get();
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public LockHandle[] outer(String key) {
            LockHandle outer = LockContext.current().orElseThrow();
            LockHandle inner = self.inner(key);
            return new LockHandle[] {outer, inner};
        }

        /** Waits at most a second, so that a failed re-entry shows as LockNotAcquiredException, not a hang. */
        @DistributedLock(key = "#p0", waitTime = "1s")
        public LockHandle inner(String key) {
            return LockContext.current().orElseThrow();
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public LockHandle[] outerWithOtherKey(String outerKey, String innerKey) {
            LockHandle outer = LockContext.current().orElseThrow();
            LockHandle inner = self.inner(innerKey);
            return new LockHandle[] {outer, inner, LockContext.current().orElseThrow()};
        }

        @DistributedLock(key = "#p0", waitTime = "0s", onFailure = FailureStrategy.SKIP)
        public String skipping(String key) {
            calls.incrementAndGet();
            return "ran " + key;
        }

        @DistributedLock(key = "#p0", waitTime = "0s", onFailure = FailureStrategy.SKIP)
        public Optional<String> skippingOptional(String key) {
            calls.incrementAndGet();
            return Optional.of("ran " + key);
        }

        @DistributedLock(key = "#p0", waitTime = "200ms")
        public String throwing(String key) {
            calls.incrementAndGet();
            return "ran " + key;
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public void failing(String key) {
            throw new IllegalStateException("boom " + key);
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public CompletionStage<String> async(String key, CompletableFuture<String> gate) {
            return gate.thenApply(value -> value + " " + key);
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public Mono<String> reactive(String key, Sinks.One<String> sink, CountDownLatch entered) {
            LockContext.current().orElseThrow();
            entered.countDown();
            return sink.asMono();
        }

        /** Completes empty when it runs, too. */
        @DistributedLock(key = "#p0", waitTime = "0s", onFailure = FailureStrategy.SKIP)
        public Mono<String> reactiveSkipping(String key) {
            calls.incrementAndGet();
            return Mono.empty();
        }

        @DistributedLock(key = "#p0", waitTime = "100ms")
        public Mono<String> reactiveThrowing(String key) {
            calls.incrementAndGet();
            return Mono.just("ran " + key);
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public Mono<String> losingReactive(String key, Consumer<LockHandle> loser) {
            LockHandle handle = LockContext.current().orElseThrow();
            return Mono.fromCallable(() -> {
                loser.accept(handle);
                return "finished " + key;
            });
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public Flux<String> stream(String key, Sinks.Many<String> sink) {
            return sink.asFlux();
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public Flux<String> losingStream(String key, Consumer<LockHandle> loser) {
            LockHandle handle = LockContext.current().orElseThrow();
            return Flux.just("a", "b").concatWith(Mono.fromRunnable(() -> loser.accept(handle)));
        }

        @DistributedLock(key = "#p0", waitTime = "5s")
        public String losing(String key, Consumer<LockHandle> loser) {
            loser.accept(LockContext.current().orElseThrow());
            return "finished " + key;
        }
    }
}
