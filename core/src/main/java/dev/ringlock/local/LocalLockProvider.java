package dev.ringlock.local;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.ringlock.lock.AbstractLockHandle;
import dev.ringlock.lock.LockHandle;
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

    @Override
    public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
        String key = request.key();
        long deadline = System.nanoTime() + request.waitTime().toNanos();
        mutex.lockInterruptibly();
        try {
            KeyState state = keys.computeIfAbsent(key, k -> new KeyState(mutex.newCondition()));
            state.waiters++;
            try {
                while (true) {
                    long now = System.nanoTime();
                    long holdLeft = state.heldUntilNanos - now;
                    if (!state.held && holdLeft <= 0) {
                        break;
                    }
                    long remaining = deadline - now;
                    if (remaining <= 0) {
                        return Optional.empty();
                    }
                    // a hold ends by itself, with no signal: wake up for its end if that comes before the wait's
                    state.released.awaitNanos(state.held ? remaining : Math.min(remaining, holdLeft));
                }
            }
            finally {
                state.waiters--;
                if (!state.held && state.waiters == 0 && state.heldUntilNanos - System.nanoTime() <= 0) {
                    keys.remove(key);
                }
            }
            state.held = true;
            keys.putIfAbsent(key, state);
            lastToken = Math.max(lastToken + 1, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
            return Optional.of(new LocalLockHandle(key, lastToken, state, System.nanoTime(),
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

    private static final class KeyState {
        final Condition released;
        boolean held;
        /** While not held: taken until this {@link System#nanoTime()} by the hold of its last holder. */
        long heldUntilNanos = System.nanoTime();
        int waiters;

        KeyState(Condition released) {
            this.released = released;
        }
    }

    private final class LocalLockHandle extends AbstractLockHandle {

        private final KeyState state;
        private final long acquiredAtNanos;
        private final long holdNanos;

        LocalLockHandle(String key, long token, KeyState state, long acquiredAtNanos, long holdNanos) {
            super(LocalBackend.NAME, key, token, event -> {
            });
            this.state = state;
            this.acquiredAtNanos = acquiredAtNanos;
            this.holdNanos = holdNanos;
        }

        @Override
        protected void release() {
            mutex.lock();
            try {
                state.held = false;
                long now = System.nanoTime();
                state.heldUntilNanos = holdNanos > 0 ? acquiredAtNanos + holdNanos : now;
                if (state.heldUntilNanos - now > 0) {
                    // kept until the hold's end: waiters that waited for a release wait for that end instead
                    state.released.signalAll();
                    return;
                }
                if (state.waiters == 0) {
                    keys.remove(key());
                }
                else {
                    state.released.signal();
                }
            }
            finally {
                mutex.unlock();
            }
        }
    }
}
