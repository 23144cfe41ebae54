package dev.ringlock.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.ringlock.testsupport.RedisClusterServers;
import dev.ringlock.testsupport.RedisServerProcess;

/**
 * The failover of {@link AbstractRedisFailoverTests} on a Cluster of three masters with one replica each: the
 * master of the locks' slot is killed after its replica was cut off, and its replica takes over. Each subclass
 * starts servers of its own ({@link #cluster()}), since the failover uses them up.
 */
abstract class AbstractRedisClusterFailoverTests extends AbstractRedisFailoverTests {

    /** The subclass's Cluster, started once for the class. */
    protected abstract RedisClusterServers cluster();

    @Override
    protected String[] connectionProperties() {
        List<String> properties = new ArrayList<>(List.of(cluster().springProperties()));
        // the clients learn of the new master of the slots from the cluster's answers and every second
        properties.add("spring.data.redis.lettuce.cluster.refresh.adaptive=true");
        properties.add("spring.data.redis.lettuce.cluster.refresh.period=1s");
        return properties.toArray(String[]::new);
    }

    @Override
    protected RedisServerProcess masterOf(String key) {
        // the lock key's hash tag is the application's key
        return cluster().nodeOf("{" + key + "}");
    }

    @Override
    protected RedisServerProcess replicaOf(RedisServerProcess master) {
        return cluster().replicaOf(master);
    }

    @Override
    protected void awaitPromoted(RedisServerProcess replica) {
        cluster().awaitPromoted(replica);
    }

    /** The node rejoins from its saved cluster configuration, and the Cluster makes it its slots' new master's replica. */
    @Override
    protected void restartAsReplica(RedisServerProcess oldMaster, RedisServerProcess newMaster) {
        oldMaster.restart();
    }

    @Override
    protected List<RedisServerProcess> processes() {
        return cluster().processes();
    }
}
