package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockKeyEvaluationException;
import dev.ringlock.lock.LockMode;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.MultiLockHandle;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The lock kinds through the {@code @DistributedLock} interceptor on top of a {@link LockProvider}:
 * {@code mode = READ} and {@code permits} on plain and on {@code Mono}/{@code Flux} methods, key expressions giving
 * several keys, {@link LockContext#current(String)}, and a WRITE call inside a READ lock of the same key. Needs
 * Reactor on the test class path.
 * <p>
 * A backend with READ and permit locks runs it as it runs {@link AbstractDistributedLockInterceptorTests}: a
 * subclass registers the server extension and returns its {@link LockProviderFixture} from {@link #fixture()}.
 * What the interceptor checks before it asks any backend (bad declarations) is tested once, on the local backend.
 */
public abstract class AbstractLockKindsInterceptorTests extends AbstractLockProviderTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    // ----------------------------------------------------------------- plain methods

    @Test
    void readMethodsShareTheKeyAndPermitMethodsAdmitTheirNumber() throws Exception {
        KindsService service = proxy(new KindsService(), newClient());
        String key = key("shared");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread first = new Thread(() -> service.read(key, () -> {
            inside.countDown();
            awaitLatch(leave);
        }));
        first.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(service.read(key, () -> { })).as("a second reader goes in at once").isPositive();
        assertHeldElsewhere(newClient(), key);
        leave.countDown();
        first.join();

        String permits = key("permits");
        long outer = service.permit(permits, () -> assertThat(service.permit(permits, () -> { })).isPositive());
        assertThat(outer).isPositive();
    }

    @Test
    void aCollectionOrArrayKeyLocksEveryKeyAndLockContextFindsEach() {
        KindsService service = proxy(new KindsService(), newClient());
        String a = key("a");
        String b = key("b");
        List<Long> tokens = service.all(List.of(b, a, b), a);
        assertThat(tokens.get(0)).as("the composite token is the largest").isGreaterThan(tokens.get(1));
        assertThat(service.all(new String[] {a, b}, b).get(1)).isPositive();
        assertFree(newClient(), a);
        assertFree(newClient(), b);
        assertThatThrownBy(() -> service.all(List.of(), a)).isInstanceOf(LockKeyEvaluationException.class)
                .hasMessageContaining("empty").hasMessageContaining("#keys");
        assertThatThrownBy(() -> service.all(Arrays.asList(a, null), a))
                .isInstanceOf(LockKeyEvaluationException.class).hasMessageContaining("null")
                .hasMessageContaining("#keys");
    }

    /** U+FFFF sorts before U+1F600 by UTF-8 bytes, after it by UTF-16 chars: the order is the bytes'. */
    @Test
    void severalKeysAreHeldInTheOrderOfTheirUtf8Bytes() {
        KindsService service = proxy(new KindsService(), newClient());
        String prefix = key("order");
        String emoji = prefix + "\uD83D\uDE00";
        String lastOfThePlane = prefix + "\uFFFF";
        assertThat(service.heldKeys(List.of(emoji, lastOfThePlane, emoji)))
                .containsExactly(lastOfThePlane, emoji);
    }

    @Test
    void aWriteCallInsideAReadLockOfTheSameKeyIsRefusedNamingTheKey() {
        Upgrading target = new Upgrading();
        Upgrading service = proxy(target, newClient());
        target.self = service;
        String key = key("upgrade");
        assertThatThrownBy(() -> service.read(key)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key).hasMessageContaining("READ");
        assertFree(newClient(), key);
    }

    // ----------------------------------------------------------------- Mono and Flux

    @Test
    void readMonosShareTheKeyUntilTheyCompleteAndSeeTheirLockInLockContext() throws Exception {
        ReactiveKindsService service = proxy(new ReactiveKindsService(), newClient());
        String key = key("reactive-read");
        Sinks.Empty<Void> done = Sinks.empty();
        CountDownLatch entered = new CountDownLatch(2);
        CompletableFuture<Long> first = service.read(key, entered, done.asMono()).toFuture();
        CompletableFuture<Long> second = service.read(key, entered, done.asMono()).toFuture();
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("both readers inside at once").isTrue();
        assertHeldElsewhere(newClient(), key);

        done.tryEmitEmpty();
        long firstToken = first.get(30, TimeUnit.SECONDS);
        long secondToken = second.get(30, TimeUnit.SECONDS);
        assertThat(firstToken).as("each reader has its own token").isPositive().isNotEqualTo(secondToken);
        assertFree(newClient(), key);
    }

    @Test
    void permitFluxesAdmitTheirNumberAndACancelledOneGivesItsPermitBack() throws Exception {
        LockProvider client = newClient();
        ReactiveKindsService service = proxy(new ReactiveKindsService(), client);
        String key = key("reactive-permits");
        CountDownLatch entered = new CountDownLatch(2);
        Disposable first = service.permit(key, entered, Mono.never()).subscribe();
        Disposable second = service.permit(key, entered, Mono.never()).subscribe();
        try {
            assertThat(entered.await(30, TimeUnit.SECONDS)).as("two permits held").isTrue();
            assertThatThrownBy(() -> service.permit(key, new CountDownLatch(1), Mono.empty()).blockLast(WAIT))
                    .as("no third permit").isInstanceOf(LockNotAcquiredException.class).hasMessageContaining(key);

            first.dispose();
            await().atMost(WAIT).until(() -> takePermit(client, key));
            assertThat(service.permit(key, new CountDownLatch(1), Mono.empty()).collectList().block(WAIT))
                    .as("the cancelled permit is free again").singleElement().isNotNull();
        }
        finally {
            first.dispose();
            second.dispose();
        }
        await().atMost(WAIT).untilAsserted(() -> {
            Optional<LockHandle> one = template(newClient()).tryAcquirePermit(key, 2, Duration.ZERO);
            Optional<LockHandle> two = template(newClient()).tryAcquirePermit(key, 2, Duration.ZERO);
            one.ifPresent(LockHandle::close);
            two.ifPresent(LockHandle::close);
            assertThat(one).as("both permits given back").isPresent();
            assertThat(two).as("both permits given back").isPresent();
        });
    }

    @Test
    void aWriteCallWhileAReadMonoBuildsItsResultIsRefusedNamingTheKey() {
        Upgrading target = new Upgrading();
        Upgrading service = proxy(target, newClient());
        target.self = service;
        String key = key("reactive-upgrade");
        assertThatThrownBy(() -> service.readReactive(key).block(WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key).hasMessageContaining("READ");
        assertFree(newClient(), key);
    }

    private boolean takePermit(LockProvider client, String key) {
        Optional<LockHandle> permit = template(client).tryAcquirePermit(key, 2, Duration.ZERO);
        permit.ifPresent(LockHandle::close);
        return permit.isPresent();
    }

    // ----------------------------------------------------------------- the services

    /** Plain methods of each kind; each returns the fencing token of the lock it ran under. */
    public static class KindsService {

        @DistributedLock(key = "#key", mode = LockMode.READ, waitTime = "0s")
        public long read(String key, Runnable inside) {
            inside.run();
            return LockContext.current().orElseThrow().fencingToken();
        }

        @DistributedLock(key = "#key", permits = 2, waitTime = "0s")
        public long permit(String key, Runnable inside) {
            inside.run();
            return LockContext.current().orElseThrow().fencingToken();
        }

        /** The composite token, and the token of the key {@code probe} found through {@link LockContext#current(String)}. */
        @DistributedLock(key = "#keys", waitTime = "0s")
        public List<Long> all(Object keys, String probe) {
            LockHandle current = LockContext.current().orElseThrow();
            assertThat(current).isInstanceOf(MultiLockHandle.class);
            return List.of(current.fencingToken(), LockContext.current(probe).orElseThrow().fencingToken());
        }

        /** The keys of the current lock, in the order they were acquired. */
        @DistributedLock(key = "#keys", waitTime = "0s")
        public List<String> heldKeys(List<String> keys) {
            return ((MultiLockHandle) LockContext.current().orElseThrow()).handles().stream().map(LockHandle::key)
                    .toList();
        }
    }

    /**
     * Reactive methods of each kind: each counts {@code entered} down once it holds its lock, and emits the fencing
     * token its body found through {@link LockContext#current(String)} when {@code until} completes.
     */
    public static class ReactiveKindsService {

        @DistributedLock(key = "#key", mode = LockMode.READ, waitTime = "0s")
        public Mono<Long> read(String key, CountDownLatch entered, Mono<Void> until) {
            long token = LockContext.current(key).orElseThrow().fencingToken();
            entered.countDown();
            return until.thenReturn(token);
        }

        @DistributedLock(key = "#key", permits = 2, waitTime = "0s")
        public Flux<Long> permit(String key, CountDownLatch entered, Mono<Void> until) {
            long token = LockContext.current(key).orElseThrow().fencingToken();
            entered.countDown();
            return until.thenMany(Flux.just(token));
        }
    }

    /** A READ method that calls a WRITE method of the same key, plainly and from a {@code Mono} method. */
    public static class Upgrading {

        Upgrading self;

        @DistributedLock(key = "#key", mode = LockMode.READ, waitTime = "0s")
        public void read(String key) {
            self.write(key);
        }

        @DistributedLock(key = "#key", mode = LockMode.READ, waitTime = "0s")
        public Mono<Void> readReactive(String key) {
            self.write(key);
            return Mono.empty();
        }

        @DistributedLock(key = "#key", waitTime = "0s")
        public void write(String key) {
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
