package dev.ringlock.autoconfigure;

import dev.ringlock.testsupport.RedisClusterServers;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failover of {@link RedisClusterAcknowledgedFailoverTests} with replica acknowledgement turned off
 * ({@code ringlock.redis.replicas.acknowledgements=0}): the lock acquired on the old master alone is taken by the
 * other instance while its first holder still trusts it.
 */
class RedisClusterUnacknowledgedFailoverTests extends AbstractRedisClusterFailoverTests {

    @RegisterExtension
    static final TestServerExtension<RedisClusterServers> cluster =
            TestServerExtension.of(() -> RedisClusterServers.start(3, true));

    @Override
    protected RedisClusterServers cluster() {
        return cluster.server();
    }

    @Test
    @Tag("fault")
    void aLockTheReplicaNeverHadIsHeldByTwoAfterTheFailover() {
        failover(instance("ringlock.redis.replicas.acknowledgements=0"), false);

        assertTheLockTheReplicaNeverHadWasHeldByTwo();
    }
}
