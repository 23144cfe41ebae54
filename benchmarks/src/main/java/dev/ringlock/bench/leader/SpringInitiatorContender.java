package dev.ringlock.bench.leader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.integration.zookeeper.lock.ZookeeperLockRegistry;

/**
 * Spring Integration's {@link LockRegistryLeaderInitiator} over a lock registry, one initiator (and its thread)
 * per candidacy. Its leader re-takes the lock every heartbeat (which is what renews a {@code RedisLockRegistry}
 * lock's expiry) and sleeps the heartbeat in between; a follower waits up to the heartbeat in {@code tryLock}, then
 * the busy-wait. {@code Context.yield()} only sets a flag that the leader's thread reads after its sleep, so a yield
 * takes up to a heartbeat to reach the server.
 */
final class SpringInitiatorContender implements LeaderContender {

    private final AutoCloseable client;
    private final LockRegistry<?> registry;
    private final long heartBeatMillis;
    private final long busyWaitMillis;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private SpringInitiatorContender(AutoCloseable client, LockRegistry<?> registry, long heartBeatMillis,
            long busyWaitMillis) {
        this.client = client;
        this.registry = registry;
        this.heartBeatMillis = heartBeatMillis;
        this.busyWaitMillis = busyWaitMillis;
        settings.put("heartBeat.ms", Long.toString(heartBeatMillis));
        settings.put("busyWait.ms", Long.toString(busyWaitMillis));
    }

    /**
     * Over {@link RedisLockRegistry} with the rows' lease as its expiry, in {@code lockType} mode. The spin mode
     * (the default) gets a heartbeat of a third of the expiry, the renewal cadence of ours, so the lease left
     * when its leader dies is the same on average; the pub/sub mode, the registry's fast hand-over, gets a
     * 100 ms heartbeat, so that a yield is noticed within 100 ms (at ten times the renewal traffic).
     */
    static SpringInitiatorContender redis(RedisLockRegistry.RedisLockType lockType) {
        LettuceConnectionFactory connectionFactory = LeaderRows.springRedis();
        RedisLockRegistry registry = new RedisLockRegistry(connectionFactory, "bench-leader", LeaderRows.LEASE);
        registry.setRedisLockType(lockType);
        boolean spin = lockType == RedisLockRegistry.RedisLockType.SPIN_LOCK;
        long heartBeat = spin ? LeaderRows.RENEW_EVERY.toMillis() : 100;
        SpringInitiatorContender contender = new SpringInitiatorContender(() -> {
            registry.destroy();
            connectionFactory.destroy();
        }, registry, heartBeat, LockRegistryLeaderInitiator.DEFAULT_BUSY_WAIT_TIME);
        contender.settings.put("lease.ms", Long.toString(LeaderRows.LEASE.toMillis()));
        contender.settings.put("lockType", lockType.name());
        contender.settings.put("idleBetweenTries.ms", spin ? "100" : "-");
        contender.settings.put("electionClass", "LockRegistryLeaderInitiator(RedisLockRegistry)");
        return contender;
    }

    /** Over {@link ZookeeperLockRegistry} ({@code InterProcessMutex}), with the rows' session timeout. */
    static SpringInitiatorContender zooKeeper() {
        CuratorFramework client = LeaderRows.curator();
        ZookeeperLockRegistry registry = new ZookeeperLockRegistry(client, "/bench-leader/spring");
        SpringInitiatorContender contender = new SpringInitiatorContender(() -> {
            registry.destroy();
            client.close();
        }, registry, LeaderRows.RENEW_EVERY.toMillis(), LockRegistryLeaderInitiator.DEFAULT_BUSY_WAIT_TIME);
        contender.settings.putAll(LeaderRows.zooKeeperSettings(client,
                "LockRegistryLeaderInitiator(ZookeeperLockRegistry)"));
        return contender;
    }

    @Override
    public Candidate join(String group, Runnable granted) {
        AtomicReference<Context> context = new AtomicReference<>();
        DefaultCandidate candidate = new DefaultCandidate(LeaderRows.memberId(), group) {
            @Override
            public void onGranted(Context ctx) {
                context.set(ctx);
                granted.run();
            }
        };
        LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(registry, candidate);
        initiator.setHeartBeatMillis(heartBeatMillis);
        initiator.setBusyWaitMillis(busyWaitMillis);
        initiator.start();
        return new Candidate() {
            @Override
            public boolean isLeader() {
                return initiator.getContext().isLeader();
            }

            @Override
            public void yieldLeadership() {
                Context leading = context.get();
                if (leading != null) {
                    leading.yield();
                }
            }

            @Override
            public void close() {
                initiator.destroy();
            }
        };
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
