package dev.ringlock.autoconfigure;

import dev.ringlock.testsupport.RedisSentinelServers;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failover of {@link RedisSentinelAcknowledgedFailoverTests} with replica acknowledgement turned off
 * ({@code ringlock.redis.replicas.acknowledgements=0}): the hazard it closes is real, since the lock acquired on
 * the old master alone is taken by the other instance while its first holder still trusts it.
 */
class RedisSentinelUnacknowledgedFailoverTests extends AbstractRedisFailoverTests {

    @RegisterExtension
    static final TestServerExtension<RedisSentinelServers> servers = TestServerExtension.of(RedisSentinelServers::start);

    @Override
    protected String[] connectionProperties() {
        return servers.server().springProperties();
    }

    @Override
    protected RedisServerProcess masterOf(String key) {
        return servers.server().initialMaster();
    }

    @Override
    protected RedisServerProcess replicaOf(RedisServerProcess master) {
        return servers.server().initialReplica();
    }

    @Override
    protected void awaitPromoted(RedisServerProcess replica) {
        servers.server().awaitReplicaPromoted();
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
