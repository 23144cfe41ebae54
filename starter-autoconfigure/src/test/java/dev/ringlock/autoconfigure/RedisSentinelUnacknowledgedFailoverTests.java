package dev.ringlock.autoconfigure;

import dev.ringlock.testsupport.RedisSentinelServers;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failover of {@link RedisSentinelAcknowledgedFailoverTests} with replica acknowledgement turned off
 * ({@code ringlock.redis.replicas.acknowledgements=0}): the hazard it closes is real, since the lock acquired on
 * the old master alone is taken by the other instance while its first holder still trusts it.
 */
class RedisSentinelUnacknowledgedFailoverTests extends AbstractRedisSentinelFailoverTests {

    @RegisterExtension
    static final TestServerExtension<RedisSentinelServers> servers = TestServerExtension.of(RedisSentinelServers::start);

    @Override
    protected RedisSentinelServers servers() {
        return servers.server();
    }

    @Test
    @Tag("fault")
    void aLockTheReplicaNeverHadIsHeldByTwoAfterTheFailover() {
        failover(instance("ringlock.redis.replicas.acknowledgements=0"), false);

        assertTheLockTheReplicaNeverHadWasHeldByTwo();
    }
}
