package dev.ringlock.zookeeper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Combines the updates that threads of one client make to the same counters at once: they queue their
 * operations, and whichever thread gets the counter's stripe lock first runs every queued operation, counter
 * by counter in order of arrival, through the {@link Updater}; the others find theirs done when they get the
 * lock. So a client sends one write per batch instead of one per thread, and only clients compete for a node.
 * <p>
 * The stripe lock also guards the stripe's {@link KnownCounters}, so the updater reads and writes the cache
 * without locks of its own.
 */
final class CounterBatcher {

    private static final int STRIPES = 64;
    private static final int MAX_BATCH = 256;

    /** Applies the operations of one counter; throws when none took effect. Runs under the stripe's lock. */
    @FunctionalInterface
    interface Updater {

        void update(String name, List<PendingCounterOperation> operations, KnownCounters known);
    }

    private final Updater updater;
    private final Stripe[] stripes = new Stripe[STRIPES];

    CounterBatcher(Updater updater) {
        this.updater = updater;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Runs {@code operation} on counter {@code name}, in this thread's batch or another's; its result. */
    Object submit(String name, CounterOperation operation) {
        Stripe stripe = stripeOf(name);
        PendingCounterOperation pending = new PendingCounterOperation(name, operation);
        stripe.queue.add(pending);
        stripe.lock.lock();
        try {
            if (!pending.done) {
                List<PendingCounterOperation> batch = new ArrayList<>();
                PendingCounterOperation next;
                while (batch.size() < MAX_BATCH && (next = stripe.queue.poll()) != null) {
                    batch.add(next);
                }
                runBatch(stripe, batch);
            }
        }
        finally {
            stripe.lock.unlock();
        }
        return pending.result();
    }

    /** Runs {@code action} on the counter's cache under its stripe's lock, apart from any batch. */
    <T> T exclusively(String name, Function<KnownCounters, T> action) {
        Stripe stripe = stripeOf(name);
        stripe.lock.lock();
        try {
            return action.apply(stripe.known);
        }
        finally {
            stripe.lock.unlock();
        }
    }

    /** Runs the batch counter by counter, in order of arrival; a failure of one counter fails only its operations. */
    private void runBatch(Stripe stripe, List<PendingCounterOperation> batch) {
        Map<String, List<PendingCounterOperation>> byCounter = new LinkedHashMap<>();
        for (PendingCounterOperation pending : batch) {
            byCounter.computeIfAbsent(pending.name, n -> new ArrayList<>()).add(pending);
        }
        for (Map.Entry<String, List<PendingCounterOperation>> entry : byCounter.entrySet()) {
            try {
                updater.update(entry.getKey(), entry.getValue(), stripe.known);
            }
            catch (RuntimeException ex) {
                entry.getValue().forEach(pending -> pending.fail(ex));
            }
            catch (Error ex) {
                // the batch thread rethrows it; the callers it ran for must not wait for a result forever
                IllegalStateException failed = new IllegalStateException("Update of counter '" + entry.getKey()
                        + "' failed: " + ex, ex);
                batch.forEach(pending -> {
                    if (!pending.done) {
                        pending.fail(failed);
                    }
                });
                throw ex;
            }
        }
    }

    private Stripe stripeOf(String name) {
        int h = name.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    /** The counters whose operations share one lock, their queue, and the last known state of each. */
    private static final class Stripe {

        final ReentrantLock lock = new ReentrantLock();
        final ConcurrentLinkedQueue<PendingCounterOperation> queue = new ConcurrentLinkedQueue<>();
        final KnownCounters known = new KnownCounters();
    }
}
