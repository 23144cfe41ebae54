package dev.ringlock.autoconfigure;

import dev.ringlock.redis.RedisReplicasUnavailableException;
import dev.ringlock.testsupport.RedisSentinelServers;
import dev.ringlock.testsupport.TestServerExtension;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Sentinel failover with replica acknowledgement on, as by default on Sentinel: the acquisition the cut-off
 * replica could not confirm fails with the documented exception, so no lock is ever held by two instances. Also the
 * start-up failure when more acknowledgements are asked for than the master has replicas (run first: the failover
 * uses the servers up).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelAcknowledgedFailoverTests extends AbstractRedisSentinelFailoverTests {

    @RegisterExtension
    static final TestServerExtension<RedisSentinelServers> servers = TestServerExtension.of(RedisSentinelServers::start);

    @Override
    protected RedisSentinelServers servers() {
        return servers.server();
    }

    @Test
    @Order(1)
    void startUpFailsWithAnAnalysisWhenMoreAcknowledgementsAreAskedForThanTheMasterHasReplicas() {
        instance("ringlock.redis.replicas.acknowledgements=2").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(RedisReplicasUnavailableException.class);
            FailureAnalysis analysis = StartupFailureAnalysis.of(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'ringlock.redis.replicas.acknowledgements' asks 2",
                    "(sentinel) has 1 connected replica(s)");
            assertThat(analysis.getAction()).contains("Lower 'ringlock.redis.replicas.acknowledgements' to at most 1");
        });
    }

    @Test
    @Order(2)
    @Tag("fault")
    void noLockIsHeldByTwoAndWhatCouldNotBeReplicatedFailed() {
        failover(instance(), true);

        assertNoLockHeldByTwoAndWhatCouldNotBeReplicatedFailed();
    }
}
