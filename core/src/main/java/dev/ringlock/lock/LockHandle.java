package dev.ringlock.lock;

/**
 * A held distributed lock. Ownership belongs to the handle, not to a thread: any thread may
 * {@link #close()} it, virtual threads included.
 */
public interface LockHandle extends AutoCloseable {

    /** The key this lock was acquired for, as the application gave it (without the key prefix). */
    String key();

    /**
     * A positive number, strictly increasing per key across all holders, instances and restarts. Pass it
     * to the resource the lock protects and have the resource reject a token lower than the last it saw:
     * that turns a holder that lost its lock without knowing it into a rejected write.
     */
    long fencingToken();

    /**
     * Whether this handle may still be trusted to hold the lock. Judged without network, on the local
     * monotonic clock, from the last time the server confirmed the lease or session, minus a safety
     * margin; false for good once the lock is released or known lost. A holder that was frozen (GC pause,
     * SIGSTOP) past its lease sees {@code false} the moment it resumes.
     */
    boolean isValid();

    /**
     * Releases the lock. Idempotent, and callable from any thread, an interrupted one too: the release still
     * waits for the server, and the thread's interrupt flag is still set when {@code close} returns.
     */
    @Override
    void close();
}
