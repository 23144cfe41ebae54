package dev.ringlock.redis;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How many replicas must confirm a lock acquisition, a renewal or a leader term before Ringlock reports it: after
 * the script, on the same connection, {@code WAIT replicas timeout} (or {@code WAITAOF 1 replicas timeout} when
 * {@link #fsync()} is asked for, Redis 7.2 or later). An acquisition fewer replicas confirmed in time is undone and
 * fails with a {@link RedisReplicasNotAcknowledgedException}; a failover can then not hand a reported lock to
 * someone else, as long as Sentinel or Cluster promotes a replica that confirmed it.
 * <p>
 * {@link #auto} leaves the number to the topology, resolved once at start-up: none on a standalone server; on
 * Sentinel and Cluster the replicas the master reports connected ({@code INFO replication}), at most 1.
 */
public final class RedisReplicaAcknowledgement {

    /** The default wait for the replicas' confirmation. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private static final RedisReplicaAcknowledgement NONE = new RedisReplicaAcknowledgement(0, DEFAULT_TIMEOUT, false);

    private final @Nullable Integer replicas;
    private final Duration timeout;
    private final boolean fsync;

    private RedisReplicaAcknowledgement(@Nullable Integer replicas, Duration timeout, boolean fsync) {
        if (replicas != null && replicas < 0) {
            throw new IllegalArgumentException("The number of replica acknowledgements must not be negative, was "
                    + replicas);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The replica acknowledgement timeout must be positive, was " + timeout);
        }
        this.replicas = replicas;
        this.timeout = timeout;
        this.fsync = fsync;
    }

    /** No acknowledgement: not a command more than the script (the default of the providers' constructors). */
    public static RedisReplicaAcknowledgement none() {
        return NONE;
    }

    /** Exactly {@code replicas} replicas must confirm within {@code timeout}; 0 with {@code fsync} waits for the master's AOF alone. */
    public static RedisReplicaAcknowledgement of(int replicas, Duration timeout, boolean fsync) {
        return new RedisReplicaAcknowledgement(replicas, timeout, fsync);
    }

    /** The number left to the topology, resolved at start-up (see the class comment). */
    public static RedisReplicaAcknowledgement auto(Duration timeout, boolean fsync) {
        return new RedisReplicaAcknowledgement(null, timeout, fsync);
    }

    /** The number of replicas asked for; null when left to the topology. */
    public @Nullable Integer replicas() {
        return replicas;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Whether the write must also be in the AOF, fsync'd, of the master and of the replicas ({@code WAITAOF}). */
    public boolean fsync() {
        return fsync;
    }

    @Override
    public String toString() {
        return (replicas == null ? "auto" : replicas.toString()) + " replica(s) within " + timeout.toMillis() + " ms"
                + (fsync ? ", fsync'd" : "");
    }
}
