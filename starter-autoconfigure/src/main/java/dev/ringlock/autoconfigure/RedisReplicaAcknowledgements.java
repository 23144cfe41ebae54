package dev.ringlock.autoconfigure;

import dev.ringlock.redis.RedisReplicaAcknowledgement;

/**
 * {@code ringlock.redis.replicas.*} as the Redis providers take it.
 */
final class RedisReplicaAcknowledgements {

    private RedisReplicaAcknowledgements() {
    }

    static RedisReplicaAcknowledgement of(RinglockProperties.Redis.Replicas replicas) {
        Integer acknowledgements = replicas.getAcknowledgements();
        return acknowledgements == null ? RedisReplicaAcknowledgement.auto(replicas.getTimeout(), replicas.isFsync())
                : RedisReplicaAcknowledgement.of(acknowledgements, replicas.getTimeout(), replicas.isFsync());
    }
}
