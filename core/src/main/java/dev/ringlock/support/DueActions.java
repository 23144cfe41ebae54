package dev.ringlock.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs an action once for each item when its due time comes, with one task on a shared scheduler for all
 * items: a sweep scheduled for the earliest due time runs every item due by then (or within
 * {@code batchNanos} of it) and schedules itself for the next. Adding an item schedules a sweep only when the
 * item is due before every other; removing one costs a map removal and a queue removal.
 * <p>
 * Why not a task per item, scheduled when added and cancelled when removed: the scheduler's thread then woke at
 * most additions only to go back to sleep (the new task being its earliest), a context switch per lock, and
 * most items (locks released within their first second or renewal period) are removed before they are due.
 * <p>
 * The items wait in a queue ordered by due time, so a sweep takes what is due from its head and looks at nothing
 * else: with 100,000 items whose due times are spread over a period, a scan of them all per sweep would make the
 * cost of the sweeps grow with the square of the items.
 * <p>
 * An action runs on the scheduler's thread and must not block; it may add its item again (a renewal that is due
 * again later). The {@linkplain #batched batched} form hands all items due in one sweep to its action at once
 * (a watchdog that renews them in a few commands instead of one each).
 */
public final class DueActions<T> {

    private static final Log logger = LogFactory.getLog(DueActions.class);

    private static final long NO_SWEEP = Long.MAX_VALUE;

    /**
     * One wait of an item in the queue: unique (by {@code seq}) so that equal due times do not collide, and the
     * item's current wait only while it is its value in {@link #due}.
     */
    private record Entry(long at, long seq) implements Comparable<Entry> {

        @Override
        public int compareTo(Entry other) {
            // nanoTime differences, not values: they stay ordered across a wrap of the counter
            long byTime = at - other.at;
            return byTime != 0 ? (byTime < 0 ? -1 : 1) : Long.compare(seq, other.seq);
        }
    }

    private final ScheduledExecutorService scheduler;
    private final long batchNanos;
    private final Consumer<List<T>> action;
    /** Each item, with its current wait. */
    private final ConcurrentHashMap<T, Entry> due = new ConcurrentHashMap<>();
    /**
     * The waits, earliest first. An entry that is no longer its item's value in {@link #due} (the item was removed
     * or added again while a removal raced with it) is dropped when it reaches the head.
     */
    private final ConcurrentSkipListMap<Entry, T> queue = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    /** When the earliest scheduled sweep runs; {@link #NO_SWEEP} when none is scheduled. */
    private final AtomicLong nextSweep = new AtomicLong(NO_SWEEP);

    /**
     * @param scheduler runs the sweeps; not shut down here
     * @param batchNanos items due this close after a sweep's time run in that sweep
     * @param action runs for each due item; one that throws does not keep the others from running
     */
    public DueActions(ScheduledExecutorService scheduler, long batchNanos, Consumer<T> action) {
        this(eachOf(Objects.requireNonNull(action, "action")), scheduler, batchNanos);
    }

    private DueActions(Consumer<List<T>> action, ScheduledExecutorService scheduler, long batchNanos) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.batchNanos = batchNanos;
        this.action = Objects.requireNonNull(action, "action");
    }

    /**
     * Items whose action takes all the items due in one sweep at once, in no particular order, and never an empty
     * list.
     * @param scheduler runs the sweeps; not shut down here
     * @param batchNanos items due this close after a sweep's time run in that sweep
     */
    public static <T> DueActions<T> batched(ScheduledExecutorService scheduler, long batchNanos,
            Consumer<List<T>> action) {
        return new DueActions<>(action, scheduler, batchNanos);
    }

    private static <T> Consumer<List<T>> eachOf(Consumer<T> action) {
        return items -> {
            for (T item : items) {
                try {
                    action.accept(item);
                }
                catch (RuntimeException ex) {
                    // one failing item must not stop the sweeps of the others
                    logger.warn("Scheduled action failed for " + item, ex);
                }
            }
        };
    }

    /** Runs the action for {@code item} at {@code dueAtNanos} (by {@link System#nanoTime()}), unless removed before. */
    public void add(T item, long dueAtNanos) {
        Entry entry = new Entry(dueAtNanos, sequence.incrementAndGet());
        // the item's wait before it is queued: a sweep that meets the entry finds it current. A removal racing
        // with this may leave the entry queued without its item; the sweep drops it when it reaches the head.
        Entry replaced = due.put(item, entry);
        if (replaced != null) {
            queue.remove(replaced);
        }
        queue.put(entry, item);
        sweepBy(dueAtNanos);
    }

    public void remove(T item) {
        Entry entry = due.remove(item);
        if (entry != null) {
            queue.remove(entry);
        }
    }

    /** Items not yet run nor removed. */
    public int size() {
        return due.size();
    }

    /** Makes sure a sweep runs at {@code at} or before. */
    private void sweepBy(long at) {
        while (true) {
            long scheduled = nextSweep.get();
            if (scheduled != NO_SWEEP && scheduled - at <= 0) {
                return;
            }
            if (nextSweep.compareAndSet(scheduled, at)) {
                try {
                    // a later sweep already scheduled still runs, and finds little to do
                    scheduler.schedule(this::sweep, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (RejectedExecutionException ex) {
                    // the scheduler is shutting down with the application: nothing will run any more
                    nextSweep.compareAndSet(at, NO_SWEEP);
                }
                return;
            }
        }
    }

    private void sweep() {
        nextSweep.set(NO_SWEEP);
        long now = System.nanoTime();
        List<T> ready = new ArrayList<>();
        Map.Entry<Entry, T> head;
        while ((head = queue.firstEntry()) != null && head.getKey().at() - now <= batchNanos) {
            Entry entry = head.getKey();
            T item = head.getValue();
            // an add racing with this sweep replaces the item's wait first, so the item then waits for its new one
            if (queue.remove(entry, item) && due.remove(item, entry)) {
                ready.add(item);
            }
        }
        if (head != null) {
            sweepBy(head.getKey().at());
        }
        if (!ready.isEmpty()) {
            run(ready);
        }
    }

    private void run(List<T> items) {
        try {
            action.accept(items);
        }
        catch (RuntimeException ex) {
            // the next sweeps must still run
            logger.warn("Scheduled action failed for " + items.size() + " item(s)", ex);
        }
    }
}
