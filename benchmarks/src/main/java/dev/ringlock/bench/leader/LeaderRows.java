package dev.ringlock.bench.leader;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.bench.BenchEnv;
import dev.ringlock.bench.Clients;
import dev.ringlock.testsupport.TestClients;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The settings every contender of the leader rows shares, and the clients made with them. */
final class LeaderRows {

    /** Redis lease (ours, and {@code RedisLockRegistry}'s expireAfter). */
    static final Duration LEASE = Duration.ofSeconds(3);

    /**
     * A third of the lease: how often ours renews it, and the heartbeat of Spring's initiator in its spin mode
     * (each heartbeat re-takes its lock, which is what renews it), so that the lease left when a leader dies is
     * the same on average.
     */
    static final Duration RENEW_EVERY = LEASE.dividedBy(3);

    /** Requested of ZooKeeper by every ZooKeeper contender; the server may raise it to its minimum (2 ticks). */
    static final int SESSION_TIMEOUT_MILLIS = 3_000;

    /** Ours on Redis: the default of {@code ringlock.lock.poll-interval}. */
    static final Duration RINGLOCK_POLL = Duration.ofSeconds(1);

    private static final AtomicInteger members = new AtomicInteger();

    private LeaderRows() {
    }

    /** Unique across the harness and its child processes. */
    static String memberId() {
        return "bench-" + ProcessHandle.current().pid() + "-" + members.incrementAndGet();
    }

    static LettuceConnectionFactory springRedis() {
        return Clients.springRedis();
    }

    /** A Curator client as {@link Clients#curator()} makes it, but with the rows' session timeout. */
    static CuratorFramework curator() {
        return TestClients.zookeeper(BenchEnv.zooKeeper(), SESSION_TIMEOUT_MILLIS,
                new ExponentialBackoffRetry(100, 10, 5_000));
    }

    static Map<String, String> zooKeeperSettings(CuratorFramework client, String electionClass) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("session.requestedMs", Integer.toString(SESSION_TIMEOUT_MILLIS));
        settings.put("session.negotiatedMs", Integer.toString(negotiated(client)));
        settings.put("electionClass", electionClass);
        return settings;
    }

    private static int negotiated(CuratorFramework client) {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionTimeout();
        }
        catch (Exception ex) {
            return -1;
        }
    }
}
