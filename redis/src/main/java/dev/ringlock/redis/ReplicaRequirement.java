package dev.ringlock.redis;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@link RedisReplicaAcknowledgement} resolved against the servers at start-up: the number of replicas that must
 * confirm each write, checked against what the masters report ({@code INFO replication}), and, for fsync, that the
 * server has {@code WAITAOF}.
 */
final class ReplicaRequirement {

    private static final Log logger = LogFactory.getLog(ReplicaRequirement.class);

    private ReplicaRequirement() {
    }

    /**
     * The channel the acknowledged writes go through, or null when none is required (nothing more is sent then).
     * @param component what the writes are, for the log ("locks", "leader terms")
     * @throws RedisReplicasUnavailableException when the topology cannot give what {@code asked} requires
     */
    static @Nullable Acknowledging open(RedisConnectionFactory connectionFactory,
            RedisReplicaAcknowledgement asked, String component) {
        String topology = topology(connectionFactory);
        Integer replicas = asked.replicas();
        if (replicas == null && topology.equals("standalone") && !asked.fsync()) {
            logger.info("Ringlock " + component + " on redis (standalone): no replica acknowledgement (auto)");
            return null;
        }
        if (replicas != null && replicas == 0 && !asked.fsync()) {
            return null;
        }
        if (!(connectionFactory instanceof LettuceConnectionFactory lettuce) && replicas == null && !asked.fsync()) {
            logger.warn("Ringlock " + component + " on redis (" + topology + "): no replica acknowledgement, which"
                    + " needs the Lettuce client, not " + connectionFactory.getClass().getName()
                    + "; a failover can lose a lock that no replica had yet");
            return null;
        }
        if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
            throw new RedisReplicasUnavailableException("Replica acknowledgement of Ringlock " + component
                    + " on redis needs the Lettuce client, found " + connectionFactory.getClass().getName()
                    + "; use Lettuce or set 'ringlock.redis.replicas.acknowledgements' to 0", topology,
                    replicas == null ? 1 : replicas, -1);
        }
        LettuceReplicatedChannel channel = new LettuceReplicatedChannel(lettuce);
        try {
            channel.connect();
            int connected = fewestConnectedReplicas(channel);
            int required = replicas != null ? replicas : Math.min(1, connected);
            if (required > connected) {
                throw new RedisReplicasUnavailableException(required + " replica acknowledgement(s) are required of"
                        + " Ringlock " + component + " on redis (" + topology + "), but a master has only " + connected
                        + " connected replica(s)", topology, required, connected);
            }
            if (asked.fsync()) {
                requireWaitAof(channel, topology, required);
            }
            String auto = replicas == null ? " (auto: the masters report " + connected + " connected replica(s))" : "";
            logger.info("Ringlock " + component + " on redis (" + topology + "): " + (required == 0 && !asked.fsync()
                    ? "no replica acknowledgement" + auto
                    : required + " replica(s) must acknowledge each acquisition, renewal and leader term within "
                            + asked.timeout().toMillis() + " ms" + (asked.fsync() ? ", AOF fsync'd" : "") + auto));
            if (required == 0 && !asked.fsync()) {
                channel.close();
                return null;
            }
            return new Acknowledging(channel, required, asked.timeout().toMillis(), asked.fsync());
        }
        catch (RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    /** Writes go through {@code channel}, each confirmed by {@code replicas} replicas within {@code waitMillis}. */
    record Acknowledging(LettuceReplicatedChannel channel, int replicas, long waitMillis, boolean fsync) {
    }

    static String topology(RedisConnectionFactory connectionFactory) {
        if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
            if (lettuce.isClusterAware()) {
                return "cluster";
            }
            if (lettuce.isRedisSentinelAware()) {
                return "sentinel";
            }
        }
        return "standalone";
    }

    private static int fewestConnectedReplicas(LettuceReplicatedChannel channel) {
        int fewest = Integer.MAX_VALUE;
        for (LettuceReplicatedChannel.MasterInfo master : masters(channel, "replication")) {
            String connected = master.field("connected_slaves");
            fewest = Math.min(fewest, connected == null ? 0 : Integer.parseInt(connected));
        }
        return fewest == Integer.MAX_VALUE ? 0 : fewest;
    }

    /** WAITAOF came with Redis 7.2. */
    private static void requireWaitAof(LettuceReplicatedChannel channel, String topology, int required) {
        for (LettuceReplicatedChannel.MasterInfo master : masters(channel, "server")) {
            String version = master.field("redis_version");
            if (version == null || !atLeast(version, 7, 2)) {
                throw new RedisReplicasUnavailableException("AOF fsync acknowledgement ('ringlock.redis.replicas.fsync')"
                        + " needs WAITAOF, Redis 7.2 or later, but " + master.address() + " runs Redis " + version
                        + "; upgrade the servers or set 'ringlock.redis.replicas.fsync' to false", topology, required,
                        -1);
            }
        }
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        int foundMajor = Integer.parseInt(parts[0]);
        int foundMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return foundMajor > major || (foundMajor == major && foundMinor >= minor);
    }

    private static List<LettuceReplicatedChannel.MasterInfo> masters(LettuceReplicatedChannel channel, String section) {
        try {
            return channel.masters(section);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RedisSystemException("Interrupted while asking Redis for its replicas", ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new RedisSystemException("Could not ask Redis for its replicas: " + ex, ex);
        }
    }
}
