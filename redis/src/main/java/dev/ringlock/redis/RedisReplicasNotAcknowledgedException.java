package dev.ringlock.redis;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.TransientDataAccessException;

/**
 * Fewer replicas than required confirmed a write of Ringlock in time ({@link RedisReplicaAcknowledgement}); the
 * write was undone (an acquisition) or not counted (a renewal). The cause of the
 * {@link dev.ringlock.lock.LockNotAcquiredException} of an acquisition that could not be replicated.
 */
public final class RedisReplicasNotAcknowledgedException extends TransientDataAccessException {

    private final long acknowledged;
    private final int required;
    /** The script's answer, for the caller that must undo the write. */
    private final transient @Nullable Object reply;

    RedisReplicasNotAcknowledgedException(long acknowledged, int required, long timeoutMillis, boolean fsync,
            @Nullable Object reply) {
        super(acknowledged + " of " + required + " required Redis replica(s) acknowledged the write"
                + (fsync ? " (AOF fsync)" : "") + " within " + timeoutMillis + " ms, so it was undone; check that the"
                + " master's replicas are connected and keep up ('ringlock.redis.replicas.*' sets how many must answer"
                + " and how long Ringlock waits)");
        this.acknowledged = acknowledged;
        this.required = required;
        this.reply = reply;
    }

    @Nullable Object reply() {
        return reply;
    }

    /** How many replicas confirmed the write in time. */
    public long acknowledged() {
        return acknowledged;
    }

    /** How many replicas had to. */
    public int required() {
        return required;
    }
}
