package dev.ringlock.autoconfigure;

import java.time.Duration;

import dev.ringlock.lock.LockLostPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Ringlock: backend choice, key namespace, locks, counters and the ZooKeeper client. The Redis
 * connection is configured with the standard {@code spring.data.redis.*} properties.
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
        if (keyPrefix == null || keyPrefix.isBlank()) {
            throw new IllegalArgumentException("'ringlock.key-prefix' must not be blank");
        }
        if (keyPrefix.chars().anyMatch(c -> c == '{' || c == '}' || c == '/' || Character.isWhitespace(c)
                || Character.isISOControl(c))) {
            throw new IllegalArgumentException("'ringlock.key-prefix' must not contain '{', '}', '/' or white space, was '"
                    + keyPrefix + "'");
        }
        this.keyPrefix = keyPrefix;
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
    }

    /**
     * The consistent-hash ring.
     */
    public static class Ring {

        /** Points each node of weight 1 gets on the ring; more points balance load better and cost memory. */
        private int virtualNodes = 256;

        public int getVirtualNodes() {
            return virtualNodes;
        }

        public void setVirtualNodes(int virtualNodes) {
            if (virtualNodes < 1 || virtualNodes > 65536) {
                throw new IllegalArgumentException("'ringlock.ring.virtual-nodes' must be between 1 and 65536, was "
                        + virtualNodes);
            }
            this.virtualNodes = virtualNodes;
        }
    }
}
