package dev.ringlock.lock;

import java.util.Objects;

/**
 * Published (as a Spring application event) when a held lock is found lost: its Redis lease was not
 * renewed in time or was taken by someone else, or its ZooKeeper session or lock node is gone. From that
 * moment another holder may run; the fencing token tells a protected resource which writes to refuse.
 */
public final class LockLostEvent {

    private final String key;
    private final long fencingToken;
    private final String backend;
    private final String reason;

    public LockLostEvent(String key, long fencingToken, String backend, String reason) {
        this.key = Objects.requireNonNull(key, "key");
        this.fencingToken = fencingToken;
        this.backend = Objects.requireNonNull(backend, "backend");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The key of the lost lock, without prefix. */
    public String key() {
        return key;
    }

    /** The fencing token of the handle that lost the lock. */
    public long fencingToken() {
        return fencingToken;
    }

    /** The backend that held the lock. */
    public String backend() {
        return backend;
    }

    /** Why the lock is considered lost, for logs. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "LockLostEvent[key='" + key + "', token=" + fencingToken + ", backend=" + backend + ", reason=" + reason + "]";
    }
}
