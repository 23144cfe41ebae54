package dev.ringlock.lock;

/**
 * The backend failed while acquiring or releasing a lock (connection lost, server error). Nothing is left
 * held by the failed call. Check the backend's health; the cause names what failed.
 */
public class LockBackendException extends RuntimeException {

    private final String key;
    private final String backend;

    public LockBackendException(String key, String backend, String action, Throwable cause) {
        super(backend + " failed while " + action + " lock '" + key + "': " + cause.getMessage()
                + "; check that " + backend + " is reachable", cause);
        this.key = key;
        this.backend = backend;
    }

    /** The key of the lock. */
    public String key() {
        return key;
    }

    /** The backend that failed. */
    public String backend() {
        return backend;
    }
}
