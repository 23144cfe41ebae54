package dev.ringlock.bench.leader;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipGrantedEvent;
import dev.ringlock.leader.LeadershipListener;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLeaderElectionProvider;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.zookeeper.ZooKeeperLeaderElectionProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Ours: {@link DefaultLeaderElection} over a backend's provider on the shared scheduler, built as the
 * auto-configuration builds it, without Spring Boot; yield is {@link Leadership#yieldLeadership()}.
 */
final class RinglockLeaderContender implements LeaderContender {

    private final AutoCloseable client;
    private final RinglockScheduler scheduler;
    private final DisposableBean provider;
    private final DefaultLeaderElection election;
    private final Map<String, String> settings;

    private RinglockLeaderContender(AutoCloseable client, RinglockScheduler scheduler, DisposableBean provider,
            Map<String, String> settings) {
        this.client = client;
        this.scheduler = scheduler;
        this.provider = provider;
        this.election = new DefaultLeaderElection(LeaderRows.memberId(), (LeaderElectionProvider) provider, null);
        this.settings = settings;
    }

    /** On Redis: lease {@link LeaderRows#LEASE}, the default poll interval (1 s). */
    static RinglockLeaderContender redis() {
        LettuceConnectionFactory connectionFactory = LeaderRows.springRedis();
        RinglockScheduler scheduler = new RinglockScheduler();
        RedisLeaderElectionProvider provider = new RedisLeaderElectionProvider(connectionFactory,
                new RedisKeyspace("ringlock"), scheduler.executor(), LeaderRows.LEASE, LeaderRows.RINGLOCK_POLL);
        provider.afterPropertiesSet();
        return new RinglockLeaderContender(connectionFactory::destroy, scheduler, provider,
                settings("lease.ms", Long.toString(LeaderRows.LEASE.toMillis()),
                        "renewEvery.ms", Long.toString(LeaderRows.RENEW_EVERY.toMillis()),
                        "pollInterval.ms", Long.toString(LeaderRows.RINGLOCK_POLL.toMillis()),
                        "electionClass", "RedisLeaderElectionProvider"));
    }

    /** On ZooKeeper: a Curator client with the rows' session timeout. */
    static RinglockLeaderContender zooKeeper() {
        CuratorFramework client = LeaderRows.curator();
        RinglockScheduler scheduler = new RinglockScheduler();
        ZooKeeperLeaderElectionProvider provider = new ZooKeeperLeaderElectionProvider(client,
                new ZooKeeperPaths("ringlock"), scheduler.executor());
        provider.afterPropertiesSet();
        return new RinglockLeaderContender(client::close, scheduler, provider,
                LeaderRows.zooKeeperSettings(client, "ZooKeeperLeaderElectionProvider"));
    }

    /** In the order given, so that the rows state them the same way in every run. */
    private static Map<String, String> settings(String... keysAndValues) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }

    @Override
    public Candidate join(String group, Runnable granted) {
        Leadership leadership = election.join(group);
        leadership.addListener(new LeadershipListener() {
            @Override
            public void granted(LeadershipGrantedEvent event) {
                granted.run();
            }
        });
        return new Candidate() {
            @Override
            public boolean isLeader() {
                return leadership.isLeader();
            }

            @Override
            public void yieldLeadership() {
                leadership.yieldLeadership();
            }

            @Override
            public void close() {
                leadership.close();
            }
        };
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() throws Exception {
        election.close();
        provider.destroy();
        scheduler.destroy();
        client.close();
    }
}
