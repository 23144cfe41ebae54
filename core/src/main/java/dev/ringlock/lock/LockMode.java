package dev.ringlock.lock;

/**
 * How a lock is shared: {@link #WRITE} (the default) is the exclusive lock, {@link #READ} is shared with other
 * readers of the same key and excludes writers. A {@link LockRequest} with {@code permits > 1} is a permit lock
 * (at most that many holders at once) and always uses {@link #WRITE}.
 */
public enum LockMode {

    /** Shared with other readers of the key; excludes every writer. */
    READ,

    /** Exclusive: excludes every reader and writer of the key. With permits, one of at most N holders. */
    WRITE
}
