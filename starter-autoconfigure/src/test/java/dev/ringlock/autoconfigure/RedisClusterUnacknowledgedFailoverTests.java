package dev.ringlock.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.ringlock.testsupport.RedisClusterServers;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failover of {@link RedisClusterAcknowledgedFailoverTests} with replica acknowledgement turned off
 * ({@code ringlock.redis.replicas.acknowledgements=0}): the lock acquired on the old master alone is taken by the
 * other instance while its first holder still trusts it.
 */
class RedisClusterUnacknowledgedFailoverTests extends AbstractRedisFailoverTests {

    @RegisterExtension
    static final TestServerExtension<RedisClusterServers> cluster =
            TestServerExtension.of(() -> RedisClusterServers.start(3, true));

    @Override
    protected String[] connectionProperties() {
        List<String> properties = new ArrayList<>(List.of(cluster.server().springProperties()));
        // the clients learn of the new master of the slots from the cluster's answers and every second
        properties.add("spring.data.redis.lettuce.cluster.refresh.adaptive=true");
        properties.add("spring.data.redis.lettuce.cluster.refresh.period=1s");
        return properties.toArray(String[]::new);
    }

    @Override
    protected RedisServerProcess masterOf(String key) {
        // the lock key's hash tag is the application's key
        return cluster.server().nodeOf("{" + key + "}");
    }

    @Override
    protected RedisServerProcess replicaOf(RedisServerProcess master) {
        return cluster.server().replicaOf(master);
    }

    @Override
    protected void awaitPromoted(RedisServerProcess replica) {
        cluster.server().awaitPromoted(replica);
    }

    @Test
    @Tag("fault")
    void aLockTheReplicaNeverHadIsHeldByTwoAfterTheFailover() {
        failover(instance("ringlock.redis.replicas.acknowledgements=0"), false);

        assertThat(entries("first", "unreplicated")).as("acquired on the old master alone").hasSize(1);
        assertThat(failures("first", "unreplicated")).isEmpty();
        assertThat(entries("second", "unreplicated")).hasSize(1);
        assertThat(overlaps).as("locks held by two instances at once").singleElement().asString()
                .contains("'unreplicated' held by first");
    }
}
