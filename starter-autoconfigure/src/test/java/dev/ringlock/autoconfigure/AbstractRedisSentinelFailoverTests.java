package dev.ringlock.autoconfigure;

import java.util.List;

import dev.ringlock.testsupport.RedisSentinelServers;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.RespClient;

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

    /**
     * The Sentinels would send the restarted server the same {@code REPLICAOF}, but only after two of their INFO
     * rounds to a replica (10 s each, later still on a busy machine): the test does not wait on that timer.
     */
    @Override
    protected void restartAsReplica(RedisServerProcess oldMaster, RedisServerProcess newMaster) {
        oldMaster.restart();
        RespClient.call(oldMaster.host(), oldMaster.port(), "REPLICAOF", newMaster.host(),
                Integer.toString(newMaster.port()));
    }

    @Override
    protected List<RedisServerProcess> processes() {
        return servers().processes();
    }
}
