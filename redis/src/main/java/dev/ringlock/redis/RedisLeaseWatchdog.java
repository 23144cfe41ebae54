package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.support.DueActions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Renews every held Redis lease at a third of its length, on the one shared scheduler.
 * <p>
 * Renewals are sent asynchronously (on Lettuce; see {@link BoundedScripts}) with a
 * timeout of one renewal period, so a slow or unreachable server never stalls the scheduler. A renewal that
 * finds the lock gone, or that fails after the local deadline has passed, marks the handle lost; with replica
 * acknowledgement, a renewal the replicas did not confirm in time is such a failure. A renewal
 * racing with {@code close()} is harmless: the script checks the owner id, and a released handle ignores
 * the answer.
 * <p>
 * Renewals are {@link DueActions}: one sweep, scheduled for the earliest renewal due, renews those due (within
 * {@link #BATCH_NANOS}) and schedules the next, so watching a lock costs a map entry and releasing it a removal;
 * a lock released before its first renewal, as most are, costs the scheduler nothing.
 */
final class RedisLeaseWatchdog {

    private static final Log logger = LogFactory.getLog(RedisLeaseWatchdog.class);

    /** Renewals due this close together go out in one sweep, so a crowd of leases does not mean a crowd of wake-ups. */
    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final BoundedScripts scripts;
    private final RedisSharedLocks shared;
    private final ScheduledExecutorService scheduler;
    private final DueActions<RedisLockHandle> renewals;
    private volatile boolean suspended;

    RedisLeaseWatchdog(BoundedScripts scripts, RedisSharedLocks shared, ScheduledExecutorService scheduler) {
        this.scripts = scripts;
        this.shared = shared;
        this.scheduler = scheduler;
        this.renewals = new DueActions<>(scheduler, BATCH_NANOS, this::renewAndRearm);
    }

    void watch(RedisLockHandle handle) {
        renewals.add(handle, System.nanoTime() + periodNanos(handle));
        if (!handle.held()) {
            // closed or lost while we added it: make sure the renewal does not outlive it
            unwatch(handle);
        }
    }

    void unwatch(RedisLockHandle handle) {
        renewals.remove(handle);
    }

    int watched() {
        return renewals.size();
    }

    /** Stops all renewals without releasing anything; for fault tests that play a frozen process. */
    void suspend() {
        suspended = true;
    }

    /** Lets renewals run again after {@link #suspend()}, as if the frozen process thawed; for fault tests. */
    void resume() {
        suspended = false;
    }

    private void renewAndRearm(RedisLockHandle handle) {
        if (!handle.held()) {
            return;
        }
        long period = periodNanos(handle);
        renewals.add(handle, System.nanoTime() + period);
        renew(handle, TimeUnit.NANOSECONDS.toMillis(period));
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
        if (handle.shared()) {
            return shared.sendRenew(handle, Duration.ofMillis(periodMillis));
        }
        return scripts.sendAcknowledged(RedisLockScripts.RENEW, List.of(handle.lockKey()),
                List.of(handle.owner(), Long.toString(handle.leaseMillis())), Duration.ofMillis(periodMillis), scheduler,
                RedisLockProvider.DONE);
    }
}
