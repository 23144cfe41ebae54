package dev.ringlock.redis;

/**
 * At start-up, the Redis topology cannot give the replica acknowledgements asked for: a master has fewer connected
 * replicas than required, or AOF fsync was asked of a server without {@code WAITAOF} (before Redis 7.2).
 */
public final class RedisReplicasUnavailableException extends IllegalStateException {

    private final String topology;
    private final int required;
    private final int found;

    RedisReplicasUnavailableException(String message, String topology, int required, int found) {
        super(message);
        this.topology = topology;
        this.required = required;
        this.found = found;
    }

    /** {@code standalone}, {@code sentinel} or {@code cluster}. */
    public String topology() {
        return topology;
    }

    /** The number of acknowledging replicas asked for. */
    public int required() {
        return required;
    }

    /** The fewest connected replicas a master reported; -1 when the failure is not about their number. */
    public int found() {
        return found;
    }
}
