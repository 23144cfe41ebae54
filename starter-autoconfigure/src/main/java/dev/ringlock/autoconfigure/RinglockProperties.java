package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.RingRoute;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.support.Identifiers;
import dev.ringlock.support.KeyPrefix;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Configuration of Ringlock: backend choice, key namespace, locks, counters, the ring, leader election, the
 * ZooKeeper client and how the Redis client reconnects. The Redis connection itself is configured with the
 * standard {@code spring.data.redis.*} properties.
 */
@ConfigurationProperties("ringlock")
public class RinglockProperties {

    /**
     * Backend of every feature unless a feature names its own. Without it, ZooKeeper is used when
     * 'ringlock.zookeeper.connect-string' is set or a CuratorFramework bean exists, else Redis when a
     * RedisConnectionFactory exists.
     */
    private @Nullable RinglockBackend backend;

    /** Namespace of every Redis key and ZooKeeper node Ringlock creates. */
    private String keyPrefix = "ringlock";

    private final Lock lock = new Lock();

    private final Counter counter = new Counter();

    private final ZooKeeper zookeeper = new ZooKeeper();

    private final Ring ring = new Ring();

    private final Leader leader = new Leader();

    private final Redis redis = new Redis();

    public @Nullable RinglockBackend getBackend() {
        return backend;
    }

    public void setBackend(@Nullable RinglockBackend backend) {
        this.backend = backend;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = KeyPrefix.requireValid(keyPrefix);
    }

    public Lock getLock() {
        return lock;
    }

    public Counter getCounter() {
        return counter;
    }

    public ZooKeeper getZookeeper() {
        return zookeeper;
    }

    public Ring getRing() {
        return ring;
    }

    public Leader getLeader() {
        return leader;
    }

    public Redis getRedis() {
        return redis;
    }

    static Duration requireNonNegative(String property, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("'" + property + "' must not be negative, was " + value);
        }
        return value;
    }

    static Duration requirePositive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("'" + property + "' must be positive, was " + value);
        }
        return value;
    }

    /**
     * Distributed locks.
     */
    public static class Lock {

        /** Backend of locks; overrides 'ringlock.backend'. */
        private @Nullable RinglockBackend backend;

        /** How long to wait for a lock when the caller does not say. */
        private Duration waitTime = Duration.ofSeconds(10);

        /** Lease of a Redis lock, renewed at a third of its length while the holder runs. */
        private Duration leaseTime = Duration.ofSeconds(30);

        /** What an annotated method does when its lock was lost while it ran. */
        private LockLostPolicy onLost = LockLostPolicy.THROW;

        /**
         * How often a Redis waiter checks the lock when no release message came (pub/sub is at most once).
         */
        private Duration pollInterval = Duration.ofSeconds(1);

        public @Nullable RinglockBackend getBackend() {
            return backend;
        }

        public void setBackend(@Nullable RinglockBackend backend) {
            this.backend = backend;
        }

        public Duration getWaitTime() {
            return waitTime;
        }

        public void setWaitTime(Duration waitTime) {
            this.waitTime = requireNonNegative("ringlock.lock.wait-time", waitTime);
        }

        public Duration getLeaseTime() {
            return leaseTime;
        }

        public void setLeaseTime(Duration leaseTime) {
            this.leaseTime = requirePositive("ringlock.lock.lease-time", leaseTime);
        }

        public LockLostPolicy getOnLost() {
            return onLost;
        }

        public void setOnLost(LockLostPolicy onLost) {
            this.onLost = onLost;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = requirePositive("ringlock.lock.poll-interval", pollInterval);
        }
    }

    /**
     * Shared counters and sequences.
     */
    public static class Counter {

        /** Backend of counters; overrides 'ringlock.backend'. */
        private @Nullable RinglockBackend backend;

        /**
         * How long one ZooKeeper update may keep losing compare-and-swap races, or wait out a lost connection,
         * before it fails.
         */
        private Duration maxRetryTime = Duration.ofSeconds(10);

        /**
         * How long one Redis counter call waits for the server's answer, whatever 'spring.data.redis.timeout' says;
         * past it a read fails, and an update fails as of unknown outcome (it may still have been applied).
         */
        private Duration timeout = Duration.ofSeconds(5);

        /** Whether a sequence reserves its next block in the background once half of the current one is used. */
        private boolean prefetch = true;

        public @Nullable RinglockBackend getBackend() {
            return backend;
        }

        public void setBackend(@Nullable RinglockBackend backend) {
            this.backend = backend;
        }

        public Duration getMaxRetryTime() {
            return maxRetryTime;
        }

        public void setMaxRetryTime(Duration maxRetryTime) {
            this.maxRetryTime = requirePositive("ringlock.counter.max-retry-time", maxRetryTime);
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = requirePositive("ringlock.counter.timeout", timeout);
        }

        public boolean isPrefetch() {
            return prefetch;
        }

        public void setPrefetch(boolean prefetch) {
            this.prefetch = prefetch;
        }
    }

    /**
     * The ZooKeeper client Ringlock builds when the application has no CuratorFramework bean.
     */
    public static class ZooKeeper {

        /** Comma-separated host:port pairs of the ensemble, e.g. 'zk1:2181,zk2:2181,zk3:2181'. */
        private @Nullable String connectString;

        /** Session timeout asked of the server; locks are lost when the session expires. */
        private Duration sessionTimeout = Duration.ofSeconds(30);

        /** How long start-up waits for the first connection before failing. */
        private Duration connectionTimeout = Duration.ofSeconds(15);

        private final Auth auth = new Auth();

        public @Nullable String getConnectString() {
            return connectString;
        }

        public void setConnectString(@Nullable String connectString) {
            this.connectString = connectString;
        }

        public Duration getSessionTimeout() {
            return sessionTimeout;
        }

        public void setSessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = requirePositive("ringlock.zookeeper.session-timeout", sessionTimeout);
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = requirePositive("ringlock.zookeeper.connection-timeout", connectionTimeout);
        }

        public Auth getAuth() {
            return auth;
        }

        /**
         * ZooKeeper digest authentication of the client Ringlock builds. When set, every znode Ringlock creates
         * is readable and writable by this user alone.
         */
        public static class Auth {

            /** Digest user the client authenticates as and every created znode's ACL grants; no ':'. */
            private @Nullable String username;

            /** Password of the digest user. */
            private @Nullable String password;

            public @Nullable String getUsername() {
                return username;
            }

            public void setUsername(@Nullable String username) {
                this.username = username;
            }

            public @Nullable String getPassword() {
                return password;
            }

            public void setPassword(@Nullable String password) {
                this.password = password;
            }

            /** Whether either half of the credential is set. */
            boolean isSet() {
                return username != null || password != null;
            }
        }
    }

    /**
     * The consistent-hash ring and its members.
     */
    public static class Ring {

        /** Whether to create the HashRingRouter and watch the ring's members; off when the application does not route. */
        private boolean enabled = true;

        /**
         * Backend of the ring alone: zookeeper or redis for live membership, local for a static ring of 'nodes'.
         * A static ring whenever 'nodes' lists any; without this property, 'ringlock.backend'.
         */
        private @Nullable RinglockBackend backend;

        /** Where the members come from: static, zookeeper or redis. Replaced by 'ringlock.ring.backend'. */
        private @Nullable String membership;

        /** The members of a static ring. */
        private List<String> nodes = new ArrayList<>();

        /** The member id this instance registers while it runs, e.g. host:port; none to only route. */
        private @Nullable String selfId;

        /** How long a Redis ring member may miss heartbeats before the others drop it; members heartbeat at a third of it. */
        private Duration memberTimeout = Duration.ofSeconds(10);

        /**
         * The function that maps keys to members: slots (2^23 slots routed by rendezvous hashing, with a slot
         * table from 32 members up: one hash and one array read per lookup) or rendezvous (the route of
         * earlier releases, one score per member per lookup). The two route a key to different members, so
         * every instance of an application must use the same one.
         */
        private RingRoute route = RingRoute.SLOTS;

        public RingRoute getRoute() {
            return route;
        }

        public void setRoute(RingRoute route) {
            this.route = route;
        }

        public @Nullable RinglockBackend getBackend() {
            return backend;
        }

        public void setBackend(@Nullable RinglockBackend backend) {
            this.backend = backend;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The deprecated way to choose the ring's backend; read through {@link BackendSelection}, which maps
         * {@code zookeeper} and {@code redis} to that backend and {@code static} to {@code local}.
         * @deprecated since 0.1.0 for removal in the next release, in favour of {@code ringlock.ring.backend}
         */
        @Deprecated(since = "0.1.0", forRemoval = true)
        @DeprecatedConfigurationProperty(replacement = "ringlock.ring.backend", since = "0.1.0",
                reason = "One property chooses the backend of every feature; a static ring is the local backend, "
                        + "or any ring that lists 'ringlock.ring.nodes'")
        public @Nullable String getMembership() {
            return membership;
        }

        @Deprecated(since = "0.1.0", forRemoval = true)
        public void setMembership(@Nullable String membership) {
            if (membership != null && BackendSelection.ringBackendOfMembership(membership) == null) {
                throw new IllegalArgumentException("'ringlock.ring.membership' must be static, zookeeper or redis, was '"
                        + membership + "'; it is deprecated: set 'ringlock.ring.backend' (zookeeper, redis or local) instead");
            }
            this.membership = membership;
        }

        public List<String> getNodes() {
            return nodes;
        }

        public void setNodes(List<String> nodes) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < nodes.size(); i++) {
                String node = nodes.get(i);
                if (node == null || node.isBlank()) {
                    throw new IllegalArgumentException("'ringlock.ring.nodes[" + i + "]' must not be blank");
                }
                if (!seen.add(node)) {
                    throw new IllegalArgumentException("'ringlock.ring.nodes' lists '" + node + "' twice");
                }
            }
            this.nodes = new ArrayList<>(nodes);
        }

        public @Nullable String getSelfId() {
            return selfId;
        }

        public void setSelfId(@Nullable String selfId) {
            if (selfId != null && selfId.contains("${")) {
                // e.g. ${HOSTNAME} on a machine without it: every instance would join under the same id
                throw new IllegalArgumentException("'ringlock.ring.self-id' has an unresolved placeholder: '" + selfId
                        + "'; set the variable or give the id directly");
            }
            this.selfId = selfId == null || selfId.isBlank() ? null : selfId.trim();
        }

        public Duration getMemberTimeout() {
            return memberTimeout;
        }

        public void setMemberTimeout(Duration memberTimeout) {
            this.memberTimeout = requirePositive("ringlock.ring.member-timeout", memberTimeout);
        }
    }

    /**
     * Leader election.
     */
    public static class Leader {

        /** Backend of leader election; overrides 'ringlock.backend'. */
        private @Nullable RinglockBackend backend;

        /**
         * This instance's name in every election. Defaults to 'ringlock.ring.self-id' when that is set, else to the
         * host name and the process id ('<host>-<pid>'), so that two processes on one host never share it.
         */
        private @Nullable String memberId;

        /** Groups joined when the application starts; the groups named by @LeaderOnly are joined too. */
        private List<String> groups = new ArrayList<>();

        /** Lease of a Redis leader, renewed at a third of its length while it leads. */
        private Duration leaseTime = Duration.ofSeconds(15);

        public @Nullable RinglockBackend getBackend() {
            return backend;
        }

        public void setBackend(@Nullable RinglockBackend backend) {
            this.backend = backend;
        }

        public @Nullable String getMemberId() {
            return memberId;
        }

        public void setMemberId(@Nullable String memberId) {
            if (memberId != null && memberId.isBlank()) {
                throw new IllegalArgumentException("'ringlock.leader.member-id' must not be blank; give this instance's "
                        + "name, or remove the property to use 'ringlock.ring.self-id', else '<host>-<pid>'");
            }
            if (memberId != null && memberId.contains("${")) {
                // e.g. ${HOSTNAME} on a machine without it: every instance would run under the same id
                throw new IllegalArgumentException("'ringlock.leader.member-id' has an unresolved placeholder: '"
                        + memberId + "'; set the variable or give the id directly");
            }
            this.memberId = memberId == null ? null : Identifiers.requireValid("ringlock.leader.member-id", memberId.trim());
        }

        public List<String> getGroups() {
            return groups;
        }

        public void setGroups(List<String> groups) {
            for (int i = 0; i < groups.size(); i++) {
                String group = groups.get(i);
                if (group == null || group.isBlank()) {
                    throw new IllegalArgumentException("'ringlock.leader.groups[" + i + "]' must not be blank; name "
                            + "the election, e.g. 'reports', or remove the entry");
                }
                Identifiers.requireValid("ringlock.leader.groups[" + i + "]", group);
            }
            this.groups = new ArrayList<>(new LinkedHashSet<>(groups));
        }

        public Duration getLeaseTime() {
            return leaseTime;
        }

        public void setLeaseTime(Duration leaseTime) {
            this.leaseTime = requirePositive("ringlock.leader.lease-time", leaseTime);
        }
    }

    /**
     * The Redis backend (its connection is Spring Boot's, 'spring.data.redis.*'): replica acknowledgement, and how
     * the client Spring Boot builds reconnects.
     */
    public static class Redis {

        private final Replicas replicas = new Replicas();

        private final Reconnect reconnect = new Reconnect();

        public Replicas getReplicas() {
            return replicas;
        }

        public Reconnect getReconnect() {
            return reconnect;
        }

        /**
         * How long Lettuce waits between attempts to reconnect after a connection was lost: jittered, doubling
         * from the minimum up to the maximum, so that a client notices within the maximum that Redis is back.
         */
        public static class Reconnect {

            /** Delay before the first reconnection attempt; each later one waits up to twice as long as the one before. */
            private Duration minDelay = Duration.ofMillis(100);

            /** Longest delay between two reconnection attempts, however long Redis stays away. */
            private Duration maxDelay = Duration.ofSeconds(2);

            public Duration getMinDelay() {
                return minDelay;
            }

            public void setMinDelay(Duration minDelay) {
                this.minDelay = requirePositive("ringlock.redis.reconnect.min-delay", minDelay);
            }

            public Duration getMaxDelay() {
                return maxDelay;
            }

            public void setMaxDelay(Duration maxDelay) {
                this.maxDelay = requirePositive("ringlock.redis.reconnect.max-delay", maxDelay);
            }
        }

        /**
         * Replica acknowledgement of every lock acquisition, renewal and leader term on Redis: WAIT after the
         * write, on the same connection; a write fewer replicas confirmed in time is undone and fails.
         */
        public static class Replicas {

            /**
             * How many replicas must confirm each lock acquisition, renewal and leader term. Unset: none on a
             * standalone server; on Sentinel and Cluster the replicas the master reports connected, at most 1,
             * resolved at start-up. 0 turns acknowledgement off.
             */
            private @Nullable Integer acknowledgements;

            /** How long a write waits for the replicas' confirmation before it fails (and is undone). */
            private Duration timeout = Duration.ofSeconds(1);

            /** Whether the write must also be fsync'd to the AOF of the master and the replicas (WAITAOF, Redis 7.2+). */
            private boolean fsync;

            public @Nullable Integer getAcknowledgements() {
                return acknowledgements;
            }

            public void setAcknowledgements(@Nullable Integer acknowledgements) {
                if (acknowledgements != null && acknowledgements < 0) {
                    throw new IllegalArgumentException("'ringlock.redis.replicas.acknowledgements' must not be negative,"
                            + " was " + acknowledgements + "; give 0 to turn acknowledgement off, or remove it for auto");
                }
                this.acknowledgements = acknowledgements;
            }

            public Duration getTimeout() {
                return timeout;
            }

            public void setTimeout(Duration timeout) {
                this.timeout = requirePositive("ringlock.redis.replicas.timeout", timeout);
            }

            public boolean isFsync() {
                return fsync;
            }

            public void setFsync(boolean fsync) {
                this.fsync = fsync;
            }
        }
    }
}
