package dev.ringlock.testsupport;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launchers form what they claim: a Sentinel set-up whose Sentinels agree on the master and see its
 * replica, and a cluster whose nodes share the 16,384 slots.
 */
class RedisTopologyServersTests {

    @Test
    void sentinelsAgreeOnTheMasterAndTheReplicaFollowsIt() {
        try (RedisSentinelServers servers = RedisSentinelServers.start()) {
            assertThat(servers.masterPort()).isEqualTo(servers.initialMaster().port());
            RedisServerProcess master = servers.initialMaster();
            RespClient.call(master.host(), master.port(), "SET", "replicated", "yes");
            assertThat(RespClient.call(master.host(), master.port(), "WAIT", "1", "5000")).isEqualTo(1L);
            RedisServerProcess replica = servers.initialReplica();
            assertThat(RespClient.call(replica.host(), replica.port(), "GET", "replicated")).isEqualTo("yes");
        }
    }

    @Test
    void clusterNodesShareEverySlot() {
        try (RedisClusterServers cluster = RedisClusterServers.start(3)) {
            List<RedisServerProcess> nodes = cluster.nodes();
            assertThat(nodes).hasSize(3);
            for (RedisServerProcess node : nodes) {
                Object info = RespClient.call(node.host(), node.port(), "CLUSTER", "INFO");
                assertThat(RespClient.field(info, "cluster_state")).isEqualTo("ok");
                assertThat(RespClient.field(info, "cluster_slots_assigned")).isEqualTo("16384");
            }
            // a key of another node's slot is redirected, so each node serves only its third
            RedisServerProcess first = nodes.get(0);
            assertThat(RespClient.call(first.host(), first.port(), "CLUSTER", "KEYSLOT", "a")).isEqualTo(15495L);
            assertThat(catchError(() -> RespClient.call(first.host(), first.port(), "SET", "a", "1")))
                    .startsWith("MOVED 15495 127.0.0.1:" + nodes.get(2).port());
        }
    }

    private static String catchError(Runnable command) {
        try {
            command.run();
            return "no error";
        }
        catch (RespClient.RespError error) {
            return error.getMessage();
        }
    }
}
