package dev.ringlock.counter;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a {@link BlockSequence} reserves its blocks, over a store in memory whose reservations can be made to
 * fail, and an executor that runs background work only when the test says so.
 */
class BlockSequenceTests {

    private final InMemory store = new InMemory();
    private final Queue<Runnable> background = new ArrayDeque<>();
    private final Executor manual = background::add;

    @Test
    void theNextBlockIsReservedInTheBackgroundOnceHalfOfTheCurrentIsUsed() {
        Sequence sequence = new BlockSequence(store, "ids", 10, manual);
        assertThat(LongStream.generate(sequence::next).limit(5).toArray()).containsExactly(1, 2, 3, 4, 5);
        assertThat(background).as("nothing prefetched while half of the block is left").isEmpty();
        assertThat(sequence.next()).isEqualTo(6);
        assertThat(background).hasSize(1);
        background.poll().run();
        assertThat(store.reservations.get()).isEqualTo(2);
        assertThat(LongStream.generate(sequence::next).limit(6).toArray()).containsExactly(7, 8, 9, 10, 11, 12);
        assertThat(store.reservations.get()).as("the prefetched block was used, not another one").isEqualTo(2);
    }

    @Test
    void aPrefetchThatFailedIsRetriedWhenTheBlockIsNeeded() {
        Sequence sequence = new BlockSequence(store, "ids", 2, manual);
        assertThat(sequence.next()).isEqualTo(1);
        assertThat(sequence.next()).isEqualTo(2);
        store.failNext = true;
        background.poll().run();
        assertThat(sequence.next()).as("reserved on the caller's thread after the failed prefetch").isEqualTo(3);
    }

    @Test
    void aBusyExecutorOnlyMeansNoPrefetch() {
        Sequence sequence = new BlockSequence(store, "ids", 3, command -> {
            throw new RejectedExecutionException("busy");
        });
        assertThat(LongStream.generate(sequence::next).limit(7).toArray()).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void blocksOfOneWork() {
        Sequence sequence = new BlockSequence(store, "ids", 1, null);
        assertThat(LongStream.generate(sequence::next).limit(3).toArray()).containsExactly(1, 2, 3);
        assertThat(store.reservations.get()).isEqualTo(3);
    }

    /** A counter in memory; not thread-safe, as the tests here run on one thread. */
    private static final class InMemory implements CounterStore {

        long value;
        boolean failNext;
        final AtomicInteger reservations = new AtomicInteger();

        @Override
        public String backend() {
            return "memory";
        }

        @Override
        public long addAndGet(String name, long delta) {
            if (failNext) {
                failNext = false;
                throw new CounterBackendException(name, backend(), "adding to", new IllegalStateException("down"));
            }
            reservations.incrementAndGet();
            value = Math.addExact(value, delta);
            return value;
        }

        @Override
        public long get(String name) {
            return value;
        }

        @Override
        public boolean compareAndSet(String name, long expect, long update) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void set(String name, long value) {
            this.value = value;
        }

        @Override
        public void delete(String name) {
            value = 0;
        }
    }
}
