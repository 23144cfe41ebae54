package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Renews every held Redis lease at a third of its length, on the one shared scheduler.
 * <p>
 * Renewals are sent asynchronously (on Lettuce; see {@link BoundedScripts}) with a
 * timeout of one renewal period, so a slow or unreachable server never stalls the scheduler. A renewal that
 * finds the lock gone, or that fails after the local deadline has passed, marks the handle lost. A renewal
 * racing with {@code close()} is harmless: the script checks the owner id, and a released handle ignores
 * the answer.
 * <p>
 * Held leases are kept in one map with the time each renewal is due, and one sweep, scheduled for the
 * earliest due time, renews those that are due (within {@link #BATCH_NANOS}) and schedules the next. Watching
 * a lock costs a map entry, and a schedule only when it is due before every other; releasing it costs the
 * removal of the entry. (A task per lock, scheduled at acquire and cancelled at release, woke the scheduler's
 * thread at most acquisitions, only for it to go back to sleep: a lock held for a few milliseconds is never
 * renewed.)
 */
final class RedisLeaseWatchdog {

    private static final Log logger = LogFactory.getLog(RedisLeaseWatchdog.class);

    /** Renewals due this close together go out in one sweep, so a crowd of leases does not mean a crowd of wake-ups. */
    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** {@link #nextSweep} when no sweep is scheduled. */
    private static final long NONE = Long.MAX_VALUE;

    private final BoundedScripts scripts;
    private final ScheduledExecutorService scheduler;
    /** Each watched handle, with when its next renewal is due, by {@link System#nanoTime()}. */
    private final ConcurrentHashMap<RedisLockHandle, Long> due = new ConcurrentHashMap<>();
    /** When the earliest scheduled sweep runs; {@link #NONE} when none is scheduled. */
    private final AtomicLong nextSweep = new AtomicLong(NONE);
    private volatile boolean suspended;

    RedisLeaseWatchdog(BoundedScripts scripts, ScheduledExecutorService scheduler) {
        this.scripts = scripts;
        this.scheduler = scheduler;
    }

    void watch(RedisLockHandle handle) {
        long at = System.nanoTime() + periodNanos(handle);
        due.put(handle, at);
        sweepBy(at);
        if (!handle.held()) {
            // closed or lost while we added it: make sure the renewal does not outlive it
            unwatch(handle);
        }
    }

    void unwatch(RedisLockHandle handle) {
        due.remove(handle);
    }

    int watched() {
        return due.size();
    }

    /** Stops all renewals without releasing anything; for fault tests that play a frozen process. */
    void suspend() {
        suspended = true;
    }

    /** Lets renewals run again after {@link #suspend()}, as if the frozen process thawed; for fault tests. */
    void resume() {
        suspended = false;
    }

    /** Makes sure a sweep runs at {@code at} or before. */
    private void sweepBy(long at) {
        while (true) {
            long scheduled = nextSweep.get();
            if (scheduled != NONE && scheduled - at <= 0) {
                return;
            }
            if (nextSweep.compareAndSet(scheduled, at)) {
                // a later sweep already scheduled still runs, and finds little to do
                scheduler.schedule(this::sweep, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            }
        }
    }

    private void sweep() {
        nextSweep.set(NONE);
        long now = System.nanoTime();
        long earliest = NONE;
        for (Map.Entry<RedisLockHandle, Long> entry : due.entrySet()) {
            RedisLockHandle handle = entry.getKey();
            long at = entry.getValue();
            if (at - now <= BATCH_NANOS) {
                long next = now + periodNanos(handle);
                if (!due.replace(handle, at, next)) {
                    continue; // released meanwhile
                }
                renew(handle, TimeUnit.NANOSECONDS.toMillis(periodNanos(handle)));
                at = next;
            }
            if (earliest == NONE || at - earliest < 0) {
                earliest = at;
            }
        }
        if (earliest != NONE) {
            sweepBy(earliest);
        }
    }

    private static long periodNanos(RedisLockHandle handle) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(1, handle.leaseMillis() / 3));
    }

    private void renew(RedisLockHandle handle, long periodMillis) {
        if (suspended || !handle.held()) {
            return;
        }
        long sentAt = System.nanoTime();
        send(handle, periodMillis).whenComplete((renewed, failure) -> {
            if (!handle.held()) {
                return;
            }
            if (failure == null && renewed != null && renewed == 1L) {
                handle.renewed(sentAt);
            }
            else if (failure == null) {
                handle.lost("its lease ran out or another client took it before the watchdog renewed it");
            }
            else if (!handle.isValid()) {
                handle.lost("its lease could not be renewed before it ran out: " + failure);
            }
            else {
                logger.warn("Renewing the lease of lock '" + handle.key() + "' on redis failed; retrying in "
                        + periodMillis + " ms: " + failure);
            }
        });
    }

    private CompletableFuture<@Nullable Long> send(RedisLockHandle handle, long periodMillis) {
        return scripts.send(RedisLockScripts.RENEW, List.of(handle.lockKey()),
                List.of(handle.owner(), Long.toString(handle.leaseMillis())), Duration.ofMillis(periodMillis));
    }
}
