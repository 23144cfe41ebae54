package dev.ringlock.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Sentinel set-up of real processes on loopback: one master, one replica and three Sentinels
 * (quorum 2) watching the master under {@link #MASTER_NAME}. Sentinels consider a master down after
 * {@value #DOWN_AFTER_MILLIS} ms without an answer, so a killed master is replaced within seconds.
 * <p>
 * {@link #start()} returns once every Sentinel knows the replica and the two other Sentinels (without
 * which no failover can be voted) and the replica is in sync.
 */
public final class RedisSentinelServers implements AutoCloseable {

    /** The name the Sentinels monitor the master under ({@code spring.data.redis.sentinel.master}). */
    public static final String MASTER_NAME = "ringlock-master";

    static final int DOWN_AFTER_MILLIS = 1000;

    private final RedisServerProcess master;
    private final RedisServerProcess replica;
    private final List<RedisServerProcess> sentinels = new ArrayList<>();

    private RedisSentinelServers(RedisServerProcess master, RedisServerProcess replica) {
        this.master = master;
        this.replica = replica;
    }

    /** Starts master, replica and Sentinels on free ports and waits until they know each other. */
    public static RedisSentinelServers start() {
        RedisServerProcess master = RedisServerProcess.start();
        RedisServerProcess replica = null;
        RedisSentinelServers servers = null;
        try {
            replica = RedisServerProcess.start("--replicaof", master.host(),
                    Integer.toString(master.port()));
            servers = new RedisSentinelServers(master, replica);
            for (int i = 0; i < 3; i++) {
                servers.sentinels.add(RedisServerProcess.startSentinel(sentinelConfig(master)));
            }
            servers.awaitReady();
            return servers;
        }
        catch (RuntimeException ex) {
            if (servers != null) {
                servers.close();
            }
            else {
                master.close();
                if (replica != null) {
                    replica.close();
                }
            }
            throw ex;
        }
    }

    private static String sentinelConfig(RedisServerProcess master) {
        return String.join("\n",
                "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 2",
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
                // bounds a stuck failover and the wait before a failed election is tried again
                "sentinel failover-timeout " + MASTER_NAME + " 4000",
                "sentinel parallel-syncs " + MASTER_NAME + " 1",
                "");
    }

    private void awaitReady() {
        Waits.until("the Sentinels to know the replica and each other, and the replica to sync", processes(), () -> {
            for (RedisServerProcess sentinel : sentinels) {
                Object info = RespClient.call(sentinel.host(), sentinel.port(), "INFO", "sentinel");
                String masterLine = RespClient.field(info, "master0");
                if (masterLine == null || !masterLine.contains("status=ok") || !masterLine.contains("slaves=1")
                        || !masterLine.contains("sentinels=3")) {
                    return false;
                }
            }
            Object replication = RespClient.call(replica.host(), replica.port(), "INFO", "replication");
            return "up".equals(RespClient.field(replication, "master_link_status"));
        });
    }

    /** The master's name and the Sentinels, as {@code spring.data.redis.sentinel.*} properties. */
    public String[] springProperties() {
        return new String[] {"spring.data.redis.sentinel.master=" + MASTER_NAME,
                "spring.data.redis.sentinel.nodes=" + sentinelNodes()};
    }

    /** The Sentinels as {@code host:port,host:port,host:port}. */
    public String sentinelNodes() {
        return sentinels.stream().map(s -> s.host() + ":" + s.port()).collect(Collectors.joining(","));
    }

    /** The master and the replica as started, and the Sentinels. */
    public List<RedisServerProcess> processes() {
        List<RedisServerProcess> all = new ArrayList<>(List.of(master, replica));
        all.addAll(sentinels);
        return all;
    }

    /** The server started as master; after a failover it is no longer the master (or no longer running). */
    public RedisServerProcess initialMaster() {
        return master;
    }

    /** The server started as replica; after a failover, the master. */
    public RedisServerProcess initialReplica() {
        return replica;
    }

    /** The master's port as every Sentinel reports it, or -1 while they disagree. */
    public int masterPort() {
        int agreed = -1;
        for (RedisServerProcess sentinel : sentinels) {
            Object reply = RespClient.call(sentinel.host(), sentinel.port(), "SENTINEL", "get-master-addr-by-name",
                    MASTER_NAME);
            int port = Integer.parseInt(String.valueOf(((List<?>) reply).get(1)));
            if (agreed != -1 && agreed != port) {
                return -1;
            }
            agreed = port;
        }
        return agreed;
    }

    /**
     * Waits until every Sentinel names the initial replica as master and it has taken the role; fails after
     * 30 seconds.
     */
    public void awaitReplicaPromoted() {
        Waits.until("the Sentinels to promote the replica on port " + replica.port(), processes(), () -> {
            if (masterPort() != replica.port()) {
                return false;
            }
            Object replication = RespClient.call(replica.host(), replica.port(), "INFO", "replication");
            return "master".equals(RespClient.field(replication, "role"));
        });
    }

    @Override
    public void close() {
        sentinels.forEach(RedisServerProcess::close);
        replica.close();
        master.close();
    }
}
