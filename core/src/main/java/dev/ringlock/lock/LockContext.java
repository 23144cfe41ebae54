package dev.ringlock.lock;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The locks held by the current call chain of {@link DistributedLock} methods and
 * {@link LockTemplate#executeWithLock} actions.
 * <p>
 * This only tracks the synchronous part of a call: it is how a nested call on the same key re-enters,
 * and how a method reads its fencing token. It does not make ownership thread-bound; a handle may still be
 * closed from any thread.
 */
public final class LockContext {

    /** Unset (not empty) outside locked calls, so that threads which never lock carry nothing. */
    private static final ThreadLocal<Deque<LockHandle>> HELD = new ThreadLocal<>();

    private LockContext() {
    }

    /** The handle of the innermost annotated method (or template action) running in this call chain. */
    public static Optional<LockHandle> current() {
        Deque<LockHandle> held = HELD.get();
        return held != null ? Optional.ofNullable(held.peek()) : Optional.empty();
    }

    /**
     * The handle of the lock on {@code key} held anywhere in this call chain, innermost first; for a lock on
     * several keys, that key's own handle ({@link MultiLockHandle#handle(String)}).
     */
    public static Optional<LockHandle> current(String key) {
        return heldInChain(key);
    }

    /** A handle for {@code key} held further up this call chain, if any. */
    static Optional<LockHandle> heldInChain(String key) {
        Deque<LockHandle> held = HELD.get();
        if (held != null) {
            for (LockHandle handle : held) {
                if (handle.key().equals(key)) {
                    return Optional.of(handle);
                }
                if (handle instanceof MultiLockHandle multi) {
                    Optional<LockHandle> member = multi.handle(key);
                    if (member.isPresent()) {
                        return member;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Makes {@code handle} current until the returned scope is closed. */
    static Scope enter(LockHandle handle) {
        Deque<LockHandle> existing = HELD.get();
        Deque<LockHandle> held = existing != null ? existing : new ArrayDeque<>(4);
        if (existing == null) {
            HELD.set(held);
        }
        held.push(handle);
        return () -> {
            held.pop();
            if (held.isEmpty()) {
                HELD.remove();
            }
        };
    }

    /** Leaves the handle entered last. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
