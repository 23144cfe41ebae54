package dev.ringlock.autoconfigure;

import dev.ringlock.redis.RedisReplicasUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says what to do when the Redis topology cannot give the replica acknowledgements asked for at start-up.
 */
class RedisReplicasUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<RedisReplicasUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RedisReplicasUnavailableException cause) {
        if (cause.found() < 0) {
            return new FailureAnalysis(cause.getMessage(), "Correct 'ringlock.redis.replicas.fsync' or"
                    + " 'ringlock.redis.replicas.acknowledgements', or change the Redis servers as the message says.",
                    cause);
        }
        return new FailureAnalysis("'ringlock.redis.replicas.acknowledgements' asks " + cause.required()
                + " replica(s) to confirm every lock and leader write, but the Redis master (" + cause.topology()
                + ") has " + cause.found() + " connected replica(s).",
                "Lower 'ringlock.redis.replicas.acknowledgements' to at most " + cause.found()
                        + " (or remove it: on Sentinel and Cluster the default waits for 1 replica where one is"
                        + " connected, on a standalone server for none), or start and connect more replicas"
                        + " ('replicaof' the master) before the application.",
                cause);
    }
}
