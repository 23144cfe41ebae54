package dev.ringlock.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.ringlock.redis.RedisReplicasNotAcknowledgedException;
import dev.ringlock.testsupport.RedisClusterServers;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failover of {@link AbstractRedisFailoverTests} on a Cluster of three masters with one replica each: the
 * master of the locks' slot is killed after its replica was cut off, and its replica takes over. Replica
 * acknowledgement is on by default (each master reports one replica): the acquisition the replica could not
 * confirm fails with the documented exception, and no lock is ever held by two instances.
 */
class RedisClusterAcknowledgedFailoverTests extends AbstractRedisFailoverTests {

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
    void noLockIsHeldByTwoAndWhatCouldNotBeReplicatedFailed() {
        failover(instance(), true);

        assertThat(entries("first", replicated)).hasSize(1);
        assertThat(entries("first", "unreplicated")).as("entries the replica did not confirm").isEmpty();
        assertThat(failures("first", "unreplicated")).singleElement().satisfies(event -> assertThat(event.failure())
                .hasRootCauseInstanceOf(RedisReplicasNotAcknowledgedException.class)
                .hasMessageContaining("0 of 1 required Redis replica(s) acknowledged"));
        assertThat(entries("second", "unreplicated")).hasSize(1);
        assertThat(overlaps).as("locks held by two instances at once").isEmpty();
    }
}
