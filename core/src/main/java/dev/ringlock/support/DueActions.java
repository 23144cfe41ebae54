package dev.ringlock.support;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
 * item is due before every other; removing one costs a map removal.
 * <p>
 * Why not a task per item, scheduled when added and cancelled when removed: the scheduler's thread then woke at
 * most additions only to go back to sleep (the new task being its earliest), a context switch per lock, and
 * most items (locks released within their first second or renewal period) are removed before they are due.
 * <p>
 * An action runs on the scheduler's thread and must not block; it may add its item again (a renewal that is due
 * again later).
 */
public final class DueActions<T> {

    private static final Log logger = LogFactory.getLog(DueActions.class);

    private static final long NO_SWEEP = Long.MAX_VALUE;

    private final ScheduledExecutorService scheduler;
    private final long batchNanos;
    private final Consumer<T> action;
    /** Each item, with when it is due, by {@link System#nanoTime()}. */
    private final ConcurrentHashMap<T, Long> due = new ConcurrentHashMap<>();
    /** When the earliest scheduled sweep runs; {@link #NO_SWEEP} when none is scheduled. */
    private final AtomicLong nextSweep = new AtomicLong(NO_SWEEP);

    /**
     * @param scheduler runs the sweeps; not shut down here
     * @param batchNanos items due this close after a sweep's time run in that sweep
     */
    public DueActions(ScheduledExecutorService scheduler, long batchNanos, Consumer<T> action) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.batchNanos = batchNanos;
        this.action = Objects.requireNonNull(action, "action");
    }

    /** Runs the action for {@code item} at {@code dueAtNanos} (by {@link System#nanoTime()}), unless removed before. */
    public void add(T item, long dueAtNanos) {
        due.put(item, dueAtNanos);
        sweepBy(dueAtNanos);
    }

    public void remove(T item) {
        due.remove(item);
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
        boolean pending = false;
        long earliest = 0;
        for (Map.Entry<T, Long> entry : due.entrySet()) {
            T item = entry.getKey();
            long at = entry.getValue();
            if (at - now <= batchNanos) {
                if (due.remove(item, at)) {
                    run(item);
                }
            }
            else if (!pending || at - earliest < 0) {
                pending = true;
                earliest = at;
            }
        }
        if (pending) {
            sweepBy(earliest);
        }
    }

    private void run(T item) {
        try {
            action.accept(item);
        }
        catch (RuntimeException ex) {
            // one failing item must not stop the sweeps of the others
            logger.warn("Scheduled action failed for " + item, ex);
        }
    }
}
