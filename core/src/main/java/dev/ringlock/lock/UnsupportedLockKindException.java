package dev.ringlock.lock;

/**
 * Thrown when a backend is asked for a kind of lock (read, or permits) it does not implement. The message names
 * the backend, the key and the kind.
 */
public class UnsupportedLockKindException extends UnsupportedOperationException {

    public UnsupportedLockKindException(String backend, LockRequest request) {
        super("The " + backend + " lock backend does not support " + request.kind() + " locks (lock '" + request.key()
                + "'" + (request.permits() > 1 ? ", " + request.permits() + " permits" : "")
                + "); use the exclusive lock with this backend, or a backend that has this kind");
    }
}
