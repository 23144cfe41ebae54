package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.FailureStrategy;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostException;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.support.Interrupts;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code @DistributedLock} interceptor on top of a {@link LockProvider}: re-entry of nested calls,
 * {@code SKIP} and {@code THROW}, a method that throws, {@code CompletionStage}, {@code Mono} and {@code Flux}
 * results that keep the lock until they complete, and a lock lost while the method runs. The interceptor knows
 * no backend, so these run on the local backend and on one real one, not on every backend. Needs Reactor on
 * the test class path.
 * <p>
 * A backend runs it with the {@link LockProviderFixture} its {@link AbstractLockContractTests} subclass uses: a
 * subclass registers the server extension and returns the fixture from {@link #fixture()} (see
 * {@link AbstractLockProviderTests}). The loss tests run only if {@link LockProviderFixture#canLoseLocks()}.
 */
public abstract class AbstractDistributedLockInterceptorTests extends AbstractLockProviderTests {

    /** A {@link LockedService} whose methods, nested calls included, lock through {@code client}. */
    protected final LockedService service(LockProvider client) {
        LockedService target = new LockedService();
        LockedService proxy = proxy(target, client);
        target.self = proxy;
        return proxy;
    }

    // ----------------------------------------------------------------- a. re-entry

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

    // ----------------------------------------------------------------- b. annotation semantics and async results

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
    void monoCancelledAfterItsAcquisitionGotTheLockLeavesNothingHeld() throws Exception {
        HandOverGate waiter = new HandOverGate(newClient());
        LockedService service = service(waiter);
        String key = key("mono-cancelled");
        CountDownLatch entered = new CountDownLatch(1);

        Disposable subscription = service.reactive(key, Sinks.one(), entered).subscribe();
        LockHandle acquired = waiter.awaitAcquired();
        subscription.dispose(); // as a cancelled coroutine does, between the acquisition and the method body
        waiter.handOver();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(acquired.isValid()).as("the handle no subscriber received is released").isFalse());
        assertFree(newClient(), key);
        assertThat(entered.getCount()).as("the cancelled call's method body did not run").isEqualTo(1);
    }

    // ----------------------------------------------------------------- c. lost locks

    @Test
    void annotatedMethodWhoseLockIsLostThrowsLockLostAfterReturning() {
        assumeThat(fixture().canLoseLocks()).as("backend can lose locks").isTrue();
        LockProvider holder = newClient();
        LockedService service = service(holder);
        String key = key("lost-annotated");
        AtomicInteger finished = new AtomicInteger();

        assertThatThrownBy(() -> service.losing(key, losingItFor(holder).andThen(handle -> finished.incrementAndGet()))).isInstanceOfSatisfying(LockLostException.class, ex -> assertThat(ex.key()).isEqualTo(key));
        assertThat(finished.get()).as("the method body ran to its end").isEqualTo(1);
        await().atMost(fixture().lossDetectionTimeout()).untilAsserted(
                () -> assertThat(lossEvents(holder)).extracting(LockLostEvent::key).containsExactly(key));
        assertFree(newClient(), key);
    }

    @Test
    void monoWhoseLockIsLostEndsWithLockLost() {
        assumeThat(fixture().canLoseLocks()).as("backend can lose locks").isTrue();
        LockProvider holder = newClient();
        LockedService service = service(holder);
        String key = key("lost-mono");

        Mono<String> mono = service.losingReactive(key, losingItFor(holder));

        assertThatThrownBy(mono::block)
                .isInstanceOfSatisfying(LockLostException.class, ex -> assertThat(ex.key()).isEqualTo(key));
        await().atMost(fixture().lossDetectionTimeout()).untilAsserted(
                () -> assertThat(lossEvents(holder)).extracting(LockLostEvent::key).containsExactly(key));
        assertFree(newClient(), key);
    }

    @Test
    void fluxWhoseLockIsLostEndsWithLockLostAfterItsElements() {
        assumeThat(fixture().canLoseLocks()).as("backend can lose locks").isTrue();
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
                fixture().loseLock(handle, holder);
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            await().atMost(fixture().lossDetectionTimeout()).until(() -> !handle.isValid());
        };
    }

    /**
     * A provider whose acquisitions, once they hold the lock, wait for {@link #handOver()} before returning it: the
     * window in which a cancellation meets an acquisition that already succeeded. The wait goes on through the
     * interrupt a cancelled Reactor task gets, and keeps it for the caller, as a provider call that had just returned
     * would.
     */
    private static final class HandOverGate implements LockProvider {

        private final LockProvider delegate;
        private final CompletableFuture<LockHandle> acquired = new CompletableFuture<>();
        private final CompletableFuture<Void> handOver = new CompletableFuture<>();

        HandOverGate(LockProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public String backend() {
            return delegate.backend();
        }

        @Override
        public boolean supports(LockRequest request) {
            return delegate.supports(request);
        }

        @Override
        public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
            Optional<LockHandle> handle = delegate.tryAcquire(request);
            handle.ifPresent(acquired::complete);
            try {
                Interrupts.getThroughInterrupts(handOver, Duration.ofSeconds(30));
            }
            catch (ExecutionException | TimeoutException ex) {
                throw new IllegalStateException("The test never handed the acquired lock over", ex);
            }
            return handle;
        }

        LockHandle awaitAcquired() throws Exception {
            return acquired.get(10, TimeUnit.SECONDS);
        }

        void handOver() {
            handOver.complete(null);
        }
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
