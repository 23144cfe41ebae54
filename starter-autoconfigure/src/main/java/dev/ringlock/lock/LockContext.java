package dev.ringlock.lock;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
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

    private static final ThreadLocal<Deque<LockHandle>> HELD = ThreadLocal.withInitial(ArrayDeque::new);

    private LockContext() {
    }

    /** The handle of the innermost annotated method (or template action) running in this call chain. */
    public static Optional<LockHandle> current() {
        return Optional.ofNullable(HELD.get().peek());
    }

    /** A handle for {@code key} held further up this call chain, if any. */
    static Optional<LockHandle> heldInChain(String key) {
        for (Iterator<LockHandle> it = HELD.get().iterator(); it.hasNext();) {
            LockHandle handle = it.next();
            if (handle.key().equals(key)) {
                return Optional.of(handle);
            }
        }
        return Optional.empty();
    }

    /** Makes {@code handle} current until the returned scope is closed. */
    static Scope enter(LockHandle handle) {
        Deque<LockHandle> held = HELD.get();
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
