package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.ringlock.support.DueActions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;

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
 * {@link #SWEEP_NANOS}) and schedules the next; due times lie on a grid ({@link #nextRenewal}), so that locks
 * taken one by one over time are renewed together, so watching a lock costs a map entry and releasing it a removal;
 * a lock released before its first renewal, as most are, costs the scheduler nothing. A sweep renews its exclusive
 * locks in batches of up to {@link #BATCH_SIZE}, one script call each ({@code lock-renew-many.lua}) and, with
 * replica acknowledgement, one {@code WAIT} each: 100,000 held locks cost about 400 script calls per renewal
 * period, not 100,000. On a Cluster a script's keys must share a slot, so a batch holds the locks of one slot
 * (a lone lock goes out as {@code lock-renew.lua}). READ locks and permits are renewed one by one.
 */
final class RedisLeaseWatchdog {

    private static final Log logger = LogFactory.getLog(RedisLeaseWatchdog.class);

    /**
     * Renewals due this close together go out in one sweep, so a crowd of leases does not mean a crowd of wake-ups
     * or of small batches. A lease renewed up to this much early loses nothing; and since a sweep renews all its
     * locks at the same moment, they are due together again in the next round.
     */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** The coarsest grid renewals are moved back onto ({@link #nextRenewal}): the default 30 s lease's. */
    private static final long MAX_GRID_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The most locks one script call renews. The server runs a script without interruption, so a batch holds up
     * other clients' commands for as long as it runs: about 0.1 ms for 250 keys, no more than a round trip. Larger
     * batches save little more (see {@code benchmarks/RESULTS.md}, "How cost grows").
     */
    static final int BATCH_SIZE = 250;

    /** An answer of the batch script in which at least one lease was extended, so a write to acknowledge. */
    private static final Predicate<@Nullable List<Long>> ANY_RENEWED = answer -> answer != null
            && answer.contains(1L);

    private final BoundedScripts scripts;
    private final RedisSharedLocks shared;
    private final ScheduledExecutorService scheduler;
    private final DueActions<RedisLockHandle> renewals;
    private volatile boolean suspended;

    RedisLeaseWatchdog(BoundedScripts scripts, RedisSharedLocks shared, ScheduledExecutorService scheduler) {
        this.scripts = scripts;
        this.shared = shared;
        this.scheduler = scheduler;
        this.renewals = DueActions.batched(scheduler, SWEEP_NANOS, this::renewAndRearm);
    }

    void watch(RedisLockHandle handle) {
        renewals.add(handle, nextRenewal(System.nanoTime(), handle));
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

    /** One sweep: every handle in {@code due} still held is due again a period from now, and renewed now. */
    private void renewAndRearm(List<RedisLockHandle> due) {
        long now = System.nanoTime();
        List<RedisLockHandle> exclusive = new ArrayList<>(due.size());
        for (RedisLockHandle handle : due) {
            if (!handle.held()) {
                continue;
            }
            renewals.add(handle, nextRenewal(now, handle));
            if (suspended) {
                continue;
            }
            if (handle.shared()) {
                long sentAt = System.nanoTime();
                long periodMillis = periodMillis(handle);
                shared.sendRenew(handle, Duration.ofMillis(periodMillis))
                        .whenComplete((renewed, failure) -> {
                            if (settle(handle, renewed, failure, sentAt)) {
                                warnRetrying(List.of(handle), periodMillis, failure);
                            }
                        });
            }
            else {
                exclusive.add(handle);
            }
        }
        for (List<RedisLockHandle> batch : batches(exclusive, scripts.keysInOneSlot())) {
            renew(batch);
        }
    }

    /** {@code handles} in batches of at most {@link #BATCH_SIZE}, each of one Cluster slot if {@code bySlot}. */
    static List<List<RedisLockHandle>> batches(List<RedisLockHandle> handles, boolean bySlot) {
        List<List<RedisLockHandle>> batches = new ArrayList<>();
        if (!bySlot) {
            for (int from = 0; from < handles.size(); from += BATCH_SIZE) {
                batches.add(handles.subList(from, Math.min(handles.size(), from + BATCH_SIZE)));
            }
            return batches;
        }
        Map<Integer, List<RedisLockHandle>> bySlots = new HashMap<>();
        for (RedisLockHandle handle : handles) {
            int slot = ClusterSlotHashUtil.calculateSlot(handle.lockKey());
            List<RedisLockHandle> batch = bySlots.computeIfAbsent(slot, any -> new ArrayList<>());
            batch.add(handle);
            if (batch.size() == BATCH_SIZE) {
                batches.add(batch);
                bySlots.remove(slot);
            }
        }
        batches.addAll(bySlots.values());
        return batches;
    }

    /**
     * When {@code handle} is renewed next: a period after {@code now}, moved back onto a grid of a tenth of the
     * period (at most {@link #MAX_GRID_NANOS}). Locks taken at different moments would otherwise each keep their
     * own due time, and a steady stream of them would make as many sweeps of a few locks each; on the grid, all
     * locks of one lease time due within one step go out in one sweep, in full batches. A renewal at most a tenth
     * of a period early costs nothing but that: the lease runs from the renewal.
     */
    static long nextRenewal(long now, RedisLockHandle handle) {
        long periodMillis = periodMillis(handle);
        return onGrid(now + TimeUnit.MILLISECONDS.toNanos(periodMillis), periodMillis);
    }

    /** {@code dueNanos} moved back to the last multiple of the grid step of {@code periodMillis}. */
    static long onGrid(long dueNanos, long periodMillis) {
        long step = Math.max(1, Math.min(MAX_GRID_NANOS, TimeUnit.MILLISECONDS.toNanos(periodMillis) / 10));
        return dueNanos - Math.floorMod(dueNanos, step);
    }

    private static long periodMillis(RedisLockHandle handle) {
        return Math.max(1, handle.leaseMillis() / 3);
    }

    /** Renews the leases of {@code batch}, all exclusive locks (of one slot on a Cluster), in one script call. */
    private void renew(List<RedisLockHandle> batch) {
        // the shortest period in the batch bounds the wait: no renewal waits longer than its own period
        long periodMillis = Long.MAX_VALUE;
        for (RedisLockHandle handle : batch) {
            periodMillis = Math.min(periodMillis, periodMillis(handle));
        }
        long sentAt = System.nanoTime();
        long timeoutMillis = periodMillis;
        if (batch.size() == 1) {
            RedisLockHandle handle = batch.get(0);
            scripts.sendAcknowledged(RedisLockScripts.RENEW, List.of(handle.lockKey()),
                    List.of(handle.owner(), Long.toString(handle.leaseMillis())), Duration.ofMillis(timeoutMillis),
                    scheduler, RedisLockProvider.DONE).whenComplete((renewed, failure) -> {
                        if (settle(handle, renewed, failure, sentAt)) {
                            warnRetrying(batch, timeoutMillis, failure);
                        }
                    });
            return;
        }
        List<String> keys = new ArrayList<>(batch.size());
        List<String> args = new ArrayList<>(2 * batch.size());
        for (RedisLockHandle handle : batch) {
            keys.add(handle.lockKey());
            args.add(handle.owner());
            args.add(Long.toString(handle.leaseMillis()));
        }
        scripts.sendAcknowledged(RedisLockScripts.RENEW_MANY, keys, args, Duration.ofMillis(timeoutMillis), scheduler,
                ANY_RENEWED).whenComplete((answers, failure) -> {
                    Throwable failed = failure == null && (answers == null || answers.size() != batch.size())
                            ? new IllegalStateException("Unexpected reply " + answers + " from the batch renewal of "
                                    + batch.size() + " locks")
                            : failure;
                    List<RedisLockHandle> retried = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        RedisLockHandle handle = batch.get(i);
                        if (settle(handle, failed == null ? answers.get(i) : null, failed, sentAt)) {
                            retried.add(handle);
                        }
                    }
                    if (!retried.isEmpty()) {
                        warnRetrying(retried, timeoutMillis, failed);
                    }
                });
    }

    /**
     * Applies one lock's renewal answer ({@code renewed}, 1 or 0) or {@code failure} to its handle.
     * @return whether it failed in time to be retried next period, which the caller logs
     */
    private static boolean settle(RedisLockHandle handle, @Nullable Long renewed, @Nullable Throwable failure,
            long sentAt) {
        if (!handle.held()) {
            return false;
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
            return true;
        }
        return false;
    }

    /** One warning for the locks of one call whose renewal failed while their leases still run. */
    private static void warnRetrying(List<RedisLockHandle> handles, long periodMillis, @Nullable Throwable failure) {
        String which = handles.size() == 1 ? "lock '" + handles.get(0).key() + "'"
                : handles.size() + " locks ('" + handles.get(0).key() + "' and others)";
        logger.warn("Renewing the lease of " + which + " on redis failed; retrying in " + periodMillis + " ms: "
                + failure);
    }
}
