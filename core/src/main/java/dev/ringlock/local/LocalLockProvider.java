package dev.ringlock.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.ringlock.lock.AbstractLockHandle;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockMode;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;

/**
 * Locks that exist only in this JVM. Handles never expire and may be closed from any thread. Fencing
 * tokens are floored by the wall clock in microseconds, so they keep increasing across restarts of the
 * process as long as the clock does.
 * <p>
 * A lock acquired with a {@link LockRequest#holdAtLeast() hold} and closed before the hold has run stays taken
 * until the hold, counted on {@link System#nanoTime()} from its acquisition, has run: waiters wait for its end
 * as they wait for a release, with no timer. Its key's bookkeeping stays until the key is next acquired.
 * <p>
 * Every kind is supported. READ locks share a key with other readers; a writer waiting for a key holds back
 * readers that come after it, so a stream of readers cannot starve a writer (a stream of writers can delay readers).
 * A key with N permits admits N holders at once; every key is used with one number of permits (the exclusive and
 * READ locks count as one), another is refused with an error naming the key. Every entry, of any kind, takes a
 * new token from one counter, so tokens increase in entry order: a writer's is larger than every earlier holder's.
 */
public final class LocalLockProvider implements LockProvider {

    /** Guards {@link #keys} and every {@link KeyState}; waiters park on their key's condition. */
    private final ReentrantLock mutex = new ReentrantLock();
    private final Map<String, KeyState> keys = new HashMap<>();
    private long lastToken;

    @Override
    public String backend() {
        return LocalBackend.NAME;
    }

    /** Every kind: exclusive, READ and permit locks. */
    @Override
    public boolean supports(LockRequest request) {
        return true;
    }

    @Override
    public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
        String key = request.key();
        boolean reader = request.mode() == LockMode.READ;
        long deadline = System.nanoTime() + request.waitTime().toNanos();
        mutex.lockInterruptibly();
        try {
            KeyState state = keys.computeIfAbsent(key, k -> new KeyState(mutex.newCondition(), request.permits()));
            if (state.permits != request.permits()) {
                throw new IllegalArgumentException("Lock '" + key + "' is in use with " + state.permits
                        + " permit(s) and was asked for with " + request.permits() + "; use one number of permits per key");
            }
            state.waiters++;
            if (!reader) {
                state.waitingWriters++;
            }
            boolean entered = false;
            try {
                while (true) {
                    long now = System.nanoTime();
                    long nextHoldEnd = state.purgeEndedHolds(now);
                    if (state.admits(reader)) {
                        break;
                    }
                    long remaining = deadline - now;
                    if (remaining <= 0) {
                        return Optional.empty();
                    }
                    // a hold ends by itself, with no signal: wake up for its end if that comes before the wait's
                    state.changed.awaitNanos(Math.min(remaining, nextHoldEnd));
                }
                entered = true;
            }
            finally {
                state.waiters--;
                if (!reader) {
                    state.waitingWriters--;
                    if (!entered) {
                        // readers held back by this writer may go in now
                        state.changed.signalAll();
                    }
                }
                if (state.isIdle()) {
                    keys.remove(key);
                }
            }
            Slot slot = new Slot(reader);
            state.slots.add(slot);
            keys.putIfAbsent(key, state);
            lastToken = Math.max(lastToken + 1, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
            return Optional.of(new LocalLockHandle(key, lastToken, state, slot, System.nanoTime(),
                    request.holdAtLeast().toNanos()));
        }
        finally {
            mutex.unlock();
        }
    }

    /** Number of keys with a holder or a waiter; for tests that check nothing is left behind. */
    int trackedKeys() {
        mutex.lock();
        try {
            return keys.size();
        }
        finally {
            mutex.unlock();
        }
    }

    /**
     * One key: its holders (slots, each held or kept until its hold ends) and waiters. A writer of an exclusive key
     * needs no slot taken; a reader needs no writer's slot and no writer waiting; a permit holder a free permit.
     */
    private static final class KeyState {
        final Condition changed;
        final int permits;
        final List<Slot> slots = new ArrayList<>(2);
        int waiters;
        int waitingWriters;

        KeyState(Condition changed, int permits) {
            this.changed = changed;
            this.permits = permits;
        }

        /** Drops the slots whose hold has run; returns the nanos until the next hold ends (MAX_VALUE if none). */
        long purgeEndedHolds(long now) {
            long next = Long.MAX_VALUE;
            for (Iterator<Slot> it = slots.iterator(); it.hasNext();) {
                Slot slot = it.next();
                if (!slot.held) {
                    long left = slot.heldUntilNanos - now;
                    if (left <= 0) {
                        it.remove();
                    }
                    else {
                        next = Math.min(next, left);
                    }
                }
            }
            return next;
        }

        boolean admits(boolean reader) {
            if (permits > 1) {
                return slots.size() < permits;
            }
            if (reader) {
                return waitingWriters == 0 && slots.stream().allMatch(slot -> slot.reader);
            }
            return slots.isEmpty();
        }

        boolean isIdle() {
            return waiters == 0 && slots.isEmpty();
        }
    }

    /** One holder's place in its key: held until released, then kept until its hold's end. */
    private static final class Slot {
        final boolean reader;
        boolean held = true;
        long heldUntilNanos;

        Slot(boolean reader) {
            this.reader = reader;
        }
    }

    private final class LocalLockHandle extends AbstractLockHandle {

        private final KeyState state;
        private final Slot slot;
        private final long acquiredAtNanos;
        private final long holdNanos;

        LocalLockHandle(String key, long token, KeyState state, Slot slot, long acquiredAtNanos, long holdNanos) {
            super(LocalBackend.NAME, key, token, event -> {
            });
            this.state = state;
            this.slot = slot;
            this.acquiredAtNanos = acquiredAtNanos;
            this.holdNanos = holdNanos;
        }

        @Override
        protected void release() {
            mutex.lock();
            try {
                slot.held = false;
                long now = System.nanoTime();
                slot.heldUntilNanos = holdNanos > 0 ? acquiredAtNanos + holdNanos : now;
                state.purgeEndedHolds(now);
                if (state.isIdle()) {
                    keys.remove(key());
                }
                else {
                    // waiters of several kinds may be able to go in now (or wait for the hold's end instead)
                    state.changed.signalAll();
                }
            }
            finally {
                mutex.unlock();
            }
        }
    }
}
