package dev.ringlock.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Items run once when due, removed ones never, and a crowd of items due later than the first costs no further
 * scheduled task.
 */
class DueActionsTests {

    /** Counts the sweeps scheduled ({@code getTaskCount()} is approximate: a worker not yet started counts as a task). */
    private final AtomicInteger scheduled = new AtomicInteger();

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1) {
        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            scheduled.incrementAndGet();
            return super.schedule(command, delay, unit);
        }
    };
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopScheduler() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static long in(Duration delay) {
        return System.nanoTime() + delay.toNanos();
    }

    @Test
    void eachItemRunsOnceWhenDueAndARemovedOneNever() {
        DueActions<String> actions = new DueActions<>(scheduler, 0, ran::add);
        actions.add("a", in(Duration.ofMillis(50)));
        actions.add("b", in(Duration.ofMillis(50)));
        actions.remove("b");
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("a"));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> ran.equals(List.of("a")));
        assertThat(actions.size()).isZero();
    }

    @Test
    void itemsDueAfterTheNextSweepScheduleNothingMore() {
        DueActions<String> actions = new DueActions<>(scheduler, 0, ran::add);
        actions.add("first", in(Duration.ofSeconds(30)));
        for (int i = 0; i < 100; i++) {
            actions.add("later-" + i, in(Duration.ofSeconds(31)));
            actions.remove("later-" + i);
        }
        assertThat(scheduled).as("scheduled sweeps").hasValue(1);
        actions.add("sooner", in(Duration.ofMillis(10)));
        assertThat(scheduled).as("a sweep for an item due before every other").hasValue(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("sooner"));
        assertThat(ran).containsExactly("sooner");
        assertThat(actions.size()).as("the first is still waiting for its time").isEqualTo(1);
    }

    @Test
    void anActionMayAddItsItemAgain() {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<DueActions<String>> actions = new AtomicReference<>();
        actions.set(new DueActions<>(scheduler, 0, item -> {
            if (runs.incrementAndGet() < 3) {
                actions.get().add(item, in(Duration.ofMillis(10)));
            }
        }));
        actions.get().add("renewed", in(Duration.ofMillis(10)));
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 3);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() == 3);
        assertThat(actions.get().size()).isZero();
    }

    @Test
    void aFailingActionDoesNotStopTheOthers() {
        DueActions<String> actions = new DueActions<>(scheduler, 0, item -> {
            if (item.equals("bad")) {
                throw new IllegalStateException("boom");
            }
            ran.add(item);
        });
        actions.add("bad", in(Duration.ofMillis(10)));
        actions.add("good", in(Duration.ofMillis(10)));
        actions.add("later", in(Duration.ofMillis(100)));
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.containsAll(List.of("good", "later")));
    }

    @Test
    void aBatchedActionGetsTheItemsDueInOneSweepAtOnce() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        DueActions<String> actions = DueActions.batched(scheduler, Duration.ofMillis(50).toNanos(),
                items -> batches.add(List.copyOf(items)));
        long at = in(Duration.ofMillis(100));
        for (int i = 0; i < 10; i++) {
            actions.add("item-" + i, at + i);
        }
        actions.remove("item-3");
        actions.add("later", in(Duration.ofMillis(400)));
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 2);
        assertThat(batches.get(0)).hasSize(9).doesNotContain("item-3");
        assertThat(batches.get(1)).containsExactly("later");
        assertThat(actions.size()).isZero();
    }

    @Test
    void anItemAddedAgainWaitsOnlyForItsNewTime() {
        DueActions<String> actions = new DueActions<>(scheduler, 0, ran::add);
        actions.add("moved", in(Duration.ofMillis(20)));
        actions.add("moved", in(Duration.ofSeconds(30)));
        actions.add("marker", in(Duration.ofMillis(100)));
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("marker"));
        assertThat(ran).containsExactly("marker");
        assertThat(actions.size()).isEqualTo(1);
    }
}
