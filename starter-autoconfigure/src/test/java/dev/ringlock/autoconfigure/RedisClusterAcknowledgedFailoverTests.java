package dev.ringlock.autoconfigure;

import dev.ringlock.testsupport.RedisClusterServers;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Cluster failover with replica acknowledgement on, as by default (each master reports one replica): the
 * acquisition the replica could not confirm fails with the documented exception, and no lock is ever held by two
 * instances.
 */
class RedisClusterAcknowledgedFailoverTests extends AbstractRedisClusterFailoverTests {

    @RegisterExtension
    static final TestServerExtension<RedisClusterServers> cluster =
            TestServerExtension.of(() -> RedisClusterServers.start(3, true));

    @Override
    protected RedisClusterServers cluster() {
        return cluster.server();
    }

    @Test
    @Tag("fault")
    void noLockIsHeldByTwoAndWhatCouldNotBeReplicatedFailed() {
        failover(instance(), true);

        assertNoLockHeldByTwoAndWhatCouldNotBeReplicatedFailed();
    }
}
