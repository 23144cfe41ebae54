package dev.ringlock.lock;

import java.time.Duration;

/**
 * The lock on a key was not acquired within the wait time. Retry later, raise the wait time, or use
 * {@link FailureStrategy#SKIP} where skipping the work is acceptable.
 */
public class LockNotAcquiredException extends RuntimeException {

    private final String key;
    private final Duration waitTime;

    public LockNotAcquiredException(String key, Duration waitTime) {
        this(key, waitTime, "Lock '" + key + "' was not acquired within " + waitTime
                + ": another holder kept it; retry later or raise the wait time", null);
    }

    public LockNotAcquiredException(String key, Duration waitTime, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.waitTime = waitTime;
    }

    /** The key that could not be locked. */
    public String key() {
        return key;
    }

    /** How long the caller waited. */
    public Duration waitTime() {
        return waitTime;
    }
}
