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
    /** The replica of each master, in the masters' order; empty for a cluster of masters only. */
    private final List<RedisServerProcess> replicas = new ArrayList<>();

    private RedisClusterServers() {
    }

    /** Starts {@code masters} nodes on free ports and forms the cluster. */
    public static RedisClusterServers start(int masters) {
        return start(masters, false);
    }

    /**
     * Starts {@code masters} masters, with one replica each ({@code CLUSTER REPLICATE}) when {@code withReplicas},
     * forms the cluster and waits until every replica is in sync. A replica takes over when its master has been
     * unreachable for the node timeout (5 s), however long its own link was down before.
     */
    public static RedisClusterServers start(int masters, boolean withReplicas) {
        RedisClusterServers cluster = new RedisClusterServers();
        try {
            for (int i = 0; i < masters; i++) {
                cluster.nodes.add(startNode());
            }
            if (withReplicas) {
                for (int i = 0; i < masters; i++) {
                    cluster.replicas.add(startNode());
                }
            }
            cluster.form();
            if (withReplicas) {
                cluster.attachReplicas();
            }
            return cluster;
        }
        catch (RuntimeException ex) {
            cluster.close();
            throw ex;
        }
    }

    private static RedisServerProcess startNode() {
        return RedisServerProcess.start(() -> FreePorts.nextWithFreeOffset(BUS_PORT_OFFSET), "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
                "--cluster-replica-validity-factor", "0");
    }

    /** Every node, masters and replicas, as started. */
    public List<RedisServerProcess> processes() {
        List<RedisServerProcess> all = new ArrayList<>(nodes);
        all.addAll(replicas);
        return all;
    }

    private void attachReplicas() {
        for (int i = 0; i < nodes.size(); i++) {
            RedisServerProcess master = nodes.get(i);
            RedisServerProcess replica = replicas.get(i);
            String masterId = String.valueOf(RespClient.call(master.host(), master.port(), "CLUSTER", "MYID"));
            // the replica must have heard of the master through the cluster bus first
            Waits.until("the node on port " + replica.port() + " to replicate " + master.port(), processes(), () -> {
                try {
                    RespClient.call(replica.host(), replica.port(), "CLUSTER", "REPLICATE", masterId);
                    return true;
                }
                catch (RespClient.RespError ex) {
                    return false;
                }
            });
        }
        // every node must know them as replicas: a master that still sees one as a master would not vote for it
        // when it asks to take over its master's slots
        Waits.until("every node to know the " + replicas.size() + " replicas", processes(), () -> {
            for (RedisServerProcess node : processes()) {
                String view = String.valueOf(RespClient.call(node.host(), node.port(), "CLUSTER", "NODES"));
                long known = view.lines().filter(line -> line.contains(" slave ") || line.contains(",slave "))
                        .count();
                if (known != replicas.size()) {
                    return false;
                }
            }
            return true;
        });
        Waits.until("every replica to be in sync with its master", processes(), () -> {
            for (int i = 0; i < nodes.size(); i++) {
                RedisServerProcess master = nodes.get(i);
                RedisServerProcess replica = replicas.get(i);
                Object replication = RespClient.call(replica.host(), replica.port(), "INFO", "replication");
                Object masterReplication = RespClient.call(master.host(), master.port(), "INFO", "replication");
                if (!"up".equals(RespClient.field(replication, "master_link_status"))
                        || !"1".equals(RespClient.field(masterReplication, "connected_slaves"))) {
                    return false;
                }
            }
            return true;
        });
    }

    private void form() {
        RedisServerProcess first = nodes.get(0);
        for (RedisServerProcess node : processes().subList(1, processes().size())) {
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
        int known = processes().size();
        Waits.until("the cluster of " + known + " nodes to form", processes(), () -> {
            for (RedisServerProcess node : processes()) {
                Object info = RespClient.call(node.host(), node.port(), "CLUSTER", "INFO");
                if (!"ok".equals(RespClient.field(info, "cluster_state"))
                        || !Integer.toString(known).equals(RespClient.field(info, "cluster_known_nodes"))
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

    /** The replica started for {@code master} (after a failover, the master of its slots). */
    public RedisServerProcess replicaOf(RedisServerProcess master) {
        return replicas.get(nodes.indexOf(master));
    }

    /**
     * Waits until {@code replica} has taken over its master's slots and every node still running sees the cluster
     * as ok; fails after 30 seconds.
     */
    public void awaitPromoted(RedisServerProcess replica) {
        Waits.until("the replica on port " + replica.port() + " to take over", processes(), () -> {
            Object replication = RespClient.call(replica.host(), replica.port(), "INFO", "replication");
            Object info = RespClient.call(replica.host(), replica.port(), "CLUSTER", "INFO");
            return "master".equals(RespClient.field(replication, "role"))
                    && "ok".equals(RespClient.field(info, "cluster_state"));
        });
    }

    /** The masters as started, in the order of their slot ranges. */
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
        replicas.forEach(RedisServerProcess::close);
        nodes.forEach(RedisServerProcess::close);
    }
}
