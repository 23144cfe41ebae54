package dev.ringlock.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of real processes on loopback: {@code n} masters, no replicas, the 16,384 hash slots split
 * evenly between them. Formed by hand, as {@code redis-cli --cluster create} would: every node meets the
 * first ({@code CLUSTER MEET}), each takes its slot range ({@code CLUSTER ADDSLOTS}), and {@link #start}
 * returns once every node reports {@code cluster_state:ok} and knows all the others.
 */
public final class RedisClusterServers implements AutoCloseable {

    static final int SLOTS = 16384;

    /** Redis Cluster nodes talk to each other on their port + 10000. */
    private static final int BUS_PORT_OFFSET = 10000;

    private final List<RedisServerProcess> nodes = new ArrayList<>();

    private RedisClusterServers() {
    }

    /** Starts {@code masters} nodes on free ports and forms the cluster. */
    public static RedisClusterServers start(int masters) {
        RedisClusterServers cluster = new RedisClusterServers();
        try {
            for (int i = 0; i < masters; i++) {
                cluster.nodes.add(RedisServerProcess.start(FreePorts.nextWithFreeOffset(BUS_PORT_OFFSET),
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
            }
            cluster.form();
            return cluster;
        }
        catch (RuntimeException ex) {
            cluster.close();
            throw ex;
        }
    }

    private void form() {
        RedisServerProcess first = nodes.get(0);
        for (RedisServerProcess node : nodes.subList(1, nodes.size())) {
            RespClient.call(first.host(), first.port(), "CLUSTER", "MEET", node.host(), Integer.toString(node.port()));
        }
        for (int i = 0; i < nodes.size(); i++) {
            int from = SLOTS * i / nodes.size();
            int to = SLOTS * (i + 1) / nodes.size();
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = from; slot < to; slot++) {
                command.add(Integer.toString(slot));
            }
            RedisServerProcess node = nodes.get(i);
            RespClient.call(node.host(), node.port(), command.toArray(String[]::new));
        }
        Waits.until("the cluster of " + nodes.size() + " nodes to form", () -> {
            for (RedisServerProcess node : nodes) {
                Object info = RespClient.call(node.host(), node.port(), "CLUSTER", "INFO");
                if (!"ok".equals(RespClient.field(info, "cluster_state"))
                        || !Integer.toString(nodes.size()).equals(RespClient.field(info, "cluster_known_nodes"))
                        || !Integer.toString(SLOTS).equals(RespClient.field(info, "cluster_slots_ok"))) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The nodes, as {@code spring.data.redis.cluster.nodes}. */
    public String[] springProperties() {
        return new String[] {"spring.data.redis.cluster.nodes=" + clusterNodes()};
    }

    /** The nodes as {@code host:port,host:port,…}. */
    public String clusterNodes() {
        return nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
    }

    /** The masters, in the order of their slot ranges. */
    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** The master that serves {@code key}: the one whose slot range holds the key's slot. */
    public RedisServerProcess nodeOf(String key) {
        RedisServerProcess any = nodes.get(0);
        long slot = (Long) RespClient.call(any.host(), any.port(), "CLUSTER", "KEYSLOT", key);
        return nodes.get((int) (slot * nodes.size() / SLOTS));
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }
}
