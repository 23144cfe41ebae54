package dev.ringlock.leader;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Leadership} of the {@link LeaderOnly} methods running in the current call chain, so that a
 * method can pass its {@link Leadership#term()} to the resource it writes.
 * <p>
 * This tracks the synchronous part of a call, as {@code LockContext} does for locks; in a Kotlin
 * {@code suspend fun} under {@link LeaderOnly}, the coroutine carries it to whichever thread it resumes on.
 */
public final class LeaderContext {

    /** Unset (not empty) outside leader-only calls, so that threads which never enter one carry nothing. */
    private static final ThreadLocal<Deque<Leadership>> CURRENT = new ThreadLocal<>();

    private LeaderContext() {
    }

    /** The leadership of the innermost {@link LeaderOnly} method running in this call chain; empty outside one. */
    public static Optional<Leadership> current() {
        Deque<Leadership> entered = CURRENT.get();
        return entered != null ? Optional.ofNullable(entered.peek()) : Optional.empty();
    }

    /** Makes {@code leadership} current until the returned scope is closed. */
    static Scope enter(Leadership leadership) {
        Deque<Leadership> existing = CURRENT.get();
        Deque<Leadership> entered = existing != null ? existing : new ArrayDeque<>(4);
        if (existing == null) {
            CURRENT.set(entered);
        }
        entered.push(leadership);
        return () -> {
            entered.pop();
            if (entered.isEmpty()) {
                CURRENT.remove();
            }
        };
    }

    /** The leaderships of this call chain, innermost first, as a coroutine carries them to its threads. */
    static List<Leadership> snapshot() {
        Deque<Leadership> entered = CURRENT.get();
        return entered != null ? List.copyOf(entered) : List.of();
    }

    /**
     * Makes {@code snapshot} this thread's call chain until the returned scope is closed, which puts back the one
     * the thread had; each install gets a deque of its own.
     */
    static Scope install(List<Leadership> snapshot) {
        Deque<Leadership> previous = CURRENT.get();
        if (snapshot.isEmpty()) {
            CURRENT.remove();
        }
        else {
            CURRENT.set(new ArrayDeque<>(snapshot));
        }
        return () -> {
            if (previous != null) {
                CURRENT.set(previous);
            }
            else {
                CURRENT.remove();
            }
        };
    }

    /** Leaves the leadership entered last. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
