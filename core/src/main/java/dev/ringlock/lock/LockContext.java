package dev.ringlock.lock;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The locks held by the current call chain of {@link DistributedLock} methods and
 * {@link LockTemplate#executeWithLock} actions.
 * <p>
 * This tracks the synchronous part of a call: it is how a nested call on the same key re-enters,
 * and how a method reads its fencing token. It does not make ownership thread-bound; a handle may still be
 * closed from any thread. In a Kotlin {@code suspend fun} under {@link DistributedLock}, the coroutine carries
 * the call chain's locks in its context, so {@link #current()} answers in the suspend body on whichever thread
 * it resumes, until the coroutine completes.
 */
public final class LockContext {

    /** Unset (not empty) outside locked calls, so that threads which never lock carry nothing. */
    private static final ThreadLocal<Deque<LockHandle>> HELD = new ThreadLocal<>();
    /** The handles of READ locks among {@link #HELD}, by identity: a WRITE call must not re-enter them. */
    private static final ThreadLocal<Deque<LockHandle>> READ = new ThreadLocal<>();

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

    /**
     * Whether the innermost lock on {@code key} in this call chain is a READ lock, which a WRITE call must not take
     * as its own: it would run without the exclusion it asked for.
     */
    static boolean heldForReadOnly(String key) {
        Optional<LockHandle> held = heldInChain(key);
        Deque<LockHandle> read = READ.get();
        return held.isPresent() && read != null && read.stream().anyMatch(handle -> handle == held.get());
    }

    /** Enters a READ lock's handle: current, and never re-entered by a WRITE call. */
    static Scope enterRead(LockHandle handle) {
        Deque<LockHandle> existing = READ.get();
        Deque<LockHandle> read = existing != null ? existing : new ArrayDeque<>(2);
        if (existing == null) {
            READ.set(read);
        }
        read.push(handle);
        Scope entered = enter(handle);
        return () -> {
            entered.close();
            read.pop();
            if (read.isEmpty()) {
                READ.remove();
            }
        };
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

    /** The locks of this call chain, as a coroutine carries them to the threads it resumes on. */
    static Snapshot snapshot() {
        Deque<LockHandle> held = HELD.get();
        Deque<LockHandle> read = READ.get();
        return new Snapshot(held != null ? List.copyOf(held) : List.of(), read != null ? List.copyOf(read) : List.of());
    }

    /**
     * Makes {@code snapshot} this thread's call chain until the returned scope is closed, which puts back the one
     * the thread had. Each install gets deques of its own: coroutines that share a snapshot may run at once.
     */
    static Scope install(Snapshot snapshot) {
        Deque<LockHandle> previousHeld = HELD.get();
        Deque<LockHandle> previousRead = READ.get();
        set(HELD, snapshot.held().isEmpty() ? null : new ArrayDeque<>(snapshot.held()));
        set(READ, snapshot.read().isEmpty() ? null : new ArrayDeque<>(snapshot.read()));
        return () -> {
            set(HELD, previousHeld);
            set(READ, previousRead);
        };
    }

    private static void set(ThreadLocal<Deque<LockHandle>> local, @Nullable Deque<LockHandle> value) {
        if (value != null) {
            local.set(value);
        }
        else {
            local.remove();
        }
    }

    /** The handles of a call chain, innermost first, and which of them are READ locks. */
    record Snapshot(List<LockHandle> held, List<LockHandle> read) {
    }

    /** Leaves the handle entered last. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
