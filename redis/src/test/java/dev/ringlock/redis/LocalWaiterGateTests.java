package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The local gate alone: one thread per key at a time, the others in arrival order, each bounded by its own
 * deadline, and no key left once nobody waits on it.
 */
class LocalWaiterGateTests {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    private final LocalWaiterGate gate = new LocalWaiterGate();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static long in(long nanos) {
        return System.nanoTime() + nanos;
    }

    private LocalWaiterGate.Waiter enter(String key, long deadlineNanos) throws InterruptedException {
        return enter(key, deadlineNanos, new HandOver("owner", 1000, 0));
    }

    private LocalWaiterGate.Waiter enter(String key, long deadlineNanos, HandOver handOver) throws InterruptedException {
        return gate.enter(key, deadlineNanos, handOver);
    }

    @Test
    void aReleaseWithNobodyWaitingReleasesOnRedisAndWakesLocalWaiters() {
        LocalWaiterGate.Release release = gate.release("k");
        assertThat(release.handOver()).isNull();
        assertThat(release.wakeLocalWaiter()).isTrue();
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void aReleaseHandsTheLockToTheHeadOnlyAndYieldsAfterEnoughInARow() throws Exception {
        HandOver headOffer = new HandOver("head", 1000, 0);
        LocalWaiterGate.Waiter head = enter("k", in(LONG), headOffer);
        HandOver queuedOffer = new HandOver("queued", 1000, 0);
        Future<LocalWaiterGate.Waiter> queued = threads.submit(() -> enter("k", in(LONG), queuedOffer));
        await().atMost(10, TimeUnit.SECONDS).until(() -> gate.waiters("k") == 2);

        for (int i = 0; i < LocalWaiterGate.HAND_OVERS_IN_A_ROW; i++) {
            LocalWaiterGate.Release release = gate.release("k");
            assertThat(release.handOver()).as("hand-over %d", i).isSameAs(headOffer);
            assertThat(gate.release("k").handOver()).as("claimed by the first releaser only").isNull();
            headOffer.reopen();
        }
        LocalWaiterGate.Release yielded = gate.release("k");
        assertThat(yielded.handOver()).as("after %d in a row", LocalWaiterGate.HAND_OVERS_IN_A_ROW).isNull();
        assertThat(yielded.wakeLocalWaiter()).as("the head learns of the release as other processes do").isFalse();
        assertThat(gate.release("k").handOver()).as("a new row begins").isSameAs(headOffer);
        assertThat(queuedOffer.claimed()).as("the waiter behind the head is never claimed").isFalse();

        headOffer.close();
        gate.leave(head);
        LocalWaiterGate.Waiter next = queued.get(10, TimeUnit.SECONDS);
        assertThat(gate.release("k").handOver()).as("the next head's offer").isSameAs(queuedOffer);
        gate.leave(next);
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void firstThreadIsLetThroughAtOnceAndTheKeyGoesWhenItLeaves() throws Exception {
        LocalWaiterGate.Waiter waiter = enter("a", in(0));
        assertThat(waiter.admitted()).isTrue();
        assertThat(waiter.queued()).isFalse();
        assertThat(gate.queuedKeys()).isEqualTo(1);
        gate.leave(waiter);
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void keysDoNotShareAQueue() throws Exception {
        LocalWaiterGate.Waiter a = enter("a", in(0));
        LocalWaiterGate.Waiter b = enter("b", in(0));
        assertThat(a.admitted()).isTrue();
        assertThat(b.admitted()).isTrue();
        gate.leave(a);
        gate.leave(b);
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void queuedThreadsGoThroughInArrivalOrder() throws Exception {
        LocalWaiterGate.Waiter head = enter("k", in(LONG));
        List<Integer> order = new CopyOnWriteArrayList<>();
        int queued = 5;
        CountDownLatch allThrough = new CountDownLatch(queued);
        for (int i = 0; i < queued; i++) {
            int n = i;
            threads.submit(() -> {
                LocalWaiterGate.Waiter waiter = enter("k", in(LONG));
                order.add(n);
                assertThat(waiter.queued()).isTrue();
                gate.leave(waiter);
                allThrough.countDown();
                return null;
            });
            // the next one arrives only once this one is in line
            await().atMost(10, TimeUnit.SECONDS).until(() -> gate.waiters("k") == n + 2);
        }
        assertThat(order).isEmpty();
        gate.leave(head);
        assertThat(allThrough.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void onlyOneThreadIsThroughAtATime() throws Exception {
        int threadCount = 8;
        int rounds = 200;
        AtomicReference<Thread> inside = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            done.add(threads.submit(() -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                    LocalWaiterGate.Waiter waiter = enter("k", in(LONG));
                    assertThat(inside.compareAndSet(null, Thread.currentThread())).as("alone through the gate").isTrue();
                    Thread.onSpinWait();
                    assertThat(inside.compareAndSet(Thread.currentThread(), null)).isTrue();
                    gate.leave(waiter);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void aQueuedThreadGivesUpAtItsDeadlineAndLeavesTheLine() throws Exception {
        LocalWaiterGate.Waiter head = enter("k", in(LONG));
        long start = System.nanoTime();
        gate.attempted(head, new IllegalStateException("redis down"));
        LocalWaiterGate.Waiter late = enter("k", in(TimeUnit.MILLISECONDS.toNanos(100)));
        assertThat(late.admitted()).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        gate.leave(late);
        assertThat(late.failureWhenGivenUp()).as("why the head had not got in").hasMessage("redis down");
        assertThat(gate.waiters("k")).isEqualTo(1);
        gate.leave(head);
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void aThreadBehindOneThatGaveUpMovesUp() throws Exception {
        LocalWaiterGate.Waiter head = enter("k", in(LONG));
        CountDownLatch secondQueued = new CountDownLatch(1);
        Future<LocalWaiterGate.Waiter> shortWait = threads.submit(() -> {
            LocalWaiterGate.Waiter waiter = enter("k", in(TimeUnit.SECONDS.toNanos(1)));
            gate.leave(waiter);
            return waiter;
        });
        // polled often: the short waiter stays in the line for one second only
        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5)).until(() -> gate.waiters("k") == 2);
        CompletableFuture<LocalWaiterGate.Waiter> longWait = CompletableFuture.supplyAsync(() -> {
            secondQueued.countDown();
            try {
                return enter("k", in(LONG));
            }
            catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        }, threads);
        assertThat(secondQueued.await(10, TimeUnit.SECONDS)).isTrue();
        LocalWaiterGate.Waiter gaveUp = shortWait.get(10, TimeUnit.SECONDS);
        assertThat(gaveUp.admitted()).isFalse();
        assertThat(gaveUp.failureWhenGivenUp()).as("the head's attempts did not fail").isNull();
        gate.leave(head);
        LocalWaiterGate.Waiter next = longWait.get(10, TimeUnit.SECONDS);
        assertThat(next.admitted()).isTrue();
        gate.leave(next);
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void anInterruptedQueuedThreadThrowsAndLeavesTheLine() throws Exception {
        LocalWaiterGate.Waiter head = enter("k", in(LONG));
        AtomicReference<Thread> queuedThread = new AtomicReference<>();
        Future<?> interrupted = threads.submit(() -> {
            queuedThread.set(Thread.currentThread());
            assertThatThrownBy(() -> enter("k", in(LONG))).isInstanceOf(InterruptedException.class)
                    .hasMessageContaining("'k'");
            return null;
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> gate.waiters("k") == 2);
        queuedThread.get().interrupt();
        interrupted.get(10, TimeUnit.SECONDS);
        assertThat(gate.waiters("k")).isEqualTo(1);
        gate.leave(head);
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void anAlreadyInterruptedThreadThatWouldQueueThrowsAtOnce() throws Exception {
        LocalWaiterGate.Waiter head = enter("k", in(LONG));
        Future<?> interrupted = threads.submit(() -> {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> enter("k", in(LONG))).isInstanceOf(InterruptedException.class);
            return null;
        });
        interrupted.get(10, TimeUnit.SECONDS);
        gate.leave(head);
        assertThat(gate.queuedKeys()).isZero();
    }

    @Test
    void manyDistinctKeysLeaveNoEntry() throws Exception {
        int threadCount = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            done.add(threads.submit(() -> {
                start.await();
                for (int k = 0; k < 2000; k++) {
                    // every thread on every key, so that queues are made and dropped while others join them
                    LocalWaiterGate.Waiter waiter = enter("key-" + k, in(LONG));
                    gate.leave(waiter);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(gate.queuedKeys()).isZero();
    }
}
