package dev.ringlock.lock;

/**
 * Told by a {@link LockProvider} when a held lock is found lost. Called once per handle, from a backend
 * thread (watchdog, connection events): implementations must not block.
 */
@FunctionalInterface
public interface LockLossListener {

    /** Does nothing; for providers used without an event sink. */
    LockLossListener NONE = event -> {
    };

    void lockLost(LockLostEvent event);
}
