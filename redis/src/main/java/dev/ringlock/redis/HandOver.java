package dev.ringlock.redis;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A waiting thread's standing offer to take a lock straight from a holder of the same provider that releases
 * it: the holder's one hand-over script gives the lock to the waiter's own owner id, where a release and the
 * waiter's next acquire would cost two round trips and a wake-up in between.
 * <p>
 * Open while the waiter waits; claimed by one releasing holder, which then completes it (the lock is the
 * waiter's, with its token) or opens it again (the holder had lost the lock, or Redis failed). The waiter
 * closes it when it stops waiting; a hand-over it left untaken is released, by whichever side finds out. The
 * owner id is this offer's own, never one the waiter also tries with, so a hand-over's outcome never mixes
 * with the waiter's own attempts.
 */
final class HandOver {

    private static final int OPEN = 0;
    private static final int CLAIMED = 1;
    private static final int DONE = 2;
    private static final int CLOSED = 3;

    private final String owner;
    private final long leaseMillis;
    private final long holdMillis;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    /** Written before the state becomes DONE, read after it was seen DONE. */
    private long token;
    private long sentAtNanos;

    HandOver(String owner, long leaseMillis, long holdMillis) {
        this.owner = owner;
        this.leaseMillis = leaseMillis;
        this.holdMillis = holdMillis;
    }

    String owner() {
        return owner;
    }

    long leaseMillis() {
        return leaseMillis;
    }

    /** The hold the waiter asked for; 0 for none. */
    long holdMillis() {
        return holdMillis;
    }

    long token() {
        return token;
    }

    /** When the hand-over script was sent, by {@link System#nanoTime()}: the new lease is counted from there. */
    long sentAtNanos() {
        return sentAtNanos;
    }

    /** For the releasing holder: whether this offer is now its to complete. */
    boolean claim() {
        return state.compareAndSet(OPEN, CLAIMED);
    }

    /**
     * For the releasing holder: the lock is now the waiter's.
     * @return false when the waiter stopped waiting meanwhile: then the lock is nobody's and must be released
     */
    boolean complete(long token, long sentAtNanos) {
        this.token = token;
        this.sentAtNanos = sentAtNanos;
        return state.compareAndSet(CLAIMED, DONE);
    }

    /** For the releasing holder: nothing was handed over; the waiter goes on trying by itself. */
    void reopen() {
        state.compareAndSet(CLAIMED, OPEN);
    }

    /** For the waiter: whether a holder is handing the lock over right now. */
    boolean claimed() {
        return state.get() == CLAIMED;
    }

    /** For the waiter: takes the lock handed over, if it was. */
    boolean take() {
        return state.compareAndSet(DONE, CLOSED);
    }

    /**
     * For the waiter, when it stops waiting.
     * @return true when a lock had been handed over and was not taken: the waiter must release it
     */
    boolean close() {
        return state.getAndSet(CLOSED) == DONE;
    }
}
