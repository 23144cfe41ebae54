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
        long remaining = request.waitTime().toNanos();
        mutex.lockInterruptibly();
        try {
            KeyState state = keys.computeIfAbsent(key, k -> new KeyState(mutex.newCondition()));
            state.waiters++;
            try {
                while (state.held) {
                    if (remaining <= 0) {
                        return Optional.empty();
                    }
                    remaining = state.released.awaitNanos(remaining);
                }
            }
            finally {
                state.waiters--;
                if (!state.held && state.waiters == 0) {
                    keys.remove(key);
                }
            }
            state.held = true;
            keys.putIfAbsent(key, state);
            lastToken = Math.max(lastToken + 1, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
            return Optional.of(new LocalLockHandle(key, lastToken, state));
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
        int waiters;

        KeyState(Condition released) {
            this.released = released;
        }
    }

    private final class LocalLockHandle extends AbstractLockHandle {

        private final KeyState state;

        LocalLockHandle(String key, long token, KeyState state) {
            super(LocalBackend.NAME, key, token, event -> {
            });
            this.state = state;
        }

        @Override
        protected void release() {
            mutex.lock();
            try {
                state.held = false;
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
