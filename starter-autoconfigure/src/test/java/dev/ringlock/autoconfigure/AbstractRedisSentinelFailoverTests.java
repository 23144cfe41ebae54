package dev.ringlock.autoconfigure;

import java.util.List;

import dev.ringlock.testsupport.RedisSentinelServers;
import dev.ringlock.testsupport.RedisServerProcess;

/**
 * The failover of {@link AbstractRedisFailoverTests} on Sentinel: a master with one replica, watched by three
 * Sentinels; the master is killed after its replica was cut off, and the Sentinels promote the replica. Each
 * subclass starts servers of its own ({@link #servers()}), since the failover uses them up.
 */
abstract class AbstractRedisSentinelFailoverTests extends AbstractRedisFailoverTests {

    /** The subclass's servers, started once for the class. */
    protected abstract RedisSentinelServers servers();

    @Override
    protected String[] connectionProperties() {
        return servers().springProperties();
    }

    @Override
    protected RedisServerProcess masterOf(String key) {
        return servers().initialMaster();
    }

    @Override
    protected RedisServerProcess replicaOf(RedisServerProcess master) {
        return servers().initialReplica();
    }

    @Override
    protected void awaitPromoted(RedisServerProcess replica) {
        servers().awaitReplicaPromoted();
    }

    @Override
    protected List<RedisServerProcess> processes() {
        return servers().processes();
    }
}
