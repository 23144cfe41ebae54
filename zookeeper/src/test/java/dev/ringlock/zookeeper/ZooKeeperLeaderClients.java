package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.contract.LeaderElectionFixture;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader election fixture on ZooKeeper: each client a {@link ZooKeeperLeaderElectionProvider} on a
 * {@link CuratorFramework} of its own, as a separate process would have, sharing one scheduler; nothing is left
 * behind when the provider keeps nothing and no candidate node of the client's session is on the server.
 */
final class ZooKeeperLeaderClients implements LeaderElectionFixture {

    static final ZooKeeperPaths PATHS = new ZooKeeperPaths("ringlock-test");

    private final Supplier<String> connectString;
    private final int sessionTimeoutMs;
    private final Supplier<RetryPolicy> retryPolicy;
    private final ScheduledExecutorService scheduler;
    private final Supplier<CuratorFramework> admin;
    private final Duration electionTimeout;
    private final Map<LeaderElectionProvider, CuratorFramework> curators = new ConcurrentHashMap<>();
    /** Where the next client connects instead of the servers, once; null for the servers. */
    private volatile @Nullable String nextConnectString;

    /**
     * @param admin a client of the test's own, to look at the server's nodes
     * @param electionTimeout how long the first leader of a group, or a follower's view of it, may take
     */
    ZooKeeperLeaderClients(Supplier<String> connectString, int sessionTimeoutMs, Supplier<RetryPolicy> retryPolicy,
            ScheduledExecutorService scheduler, Supplier<CuratorFramework> admin, Duration electionTimeout) {
        this.connectString = connectString;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.retryPolicy = retryPolicy;
        this.scheduler = scheduler;
        this.admin = admin;
        this.electionTimeout = electionTimeout;
    }

    /** The next client made connects to {@code connectString} (a {@code FaultProxy}'s, say) instead of the servers. */
    void connectNextThrough(String connectString) {
        this.nextConnectString = connectString;
    }

    @Override
    public LeaderElectionProvider createClient() {
        String through = nextConnectString;
        nextConnectString = null;
        CuratorFramework client = TestClients.zookeeper(through != null ? through : connectString.get(),
                sessionTimeoutMs, retryPolicy.get());
        ZooKeeperLeaderElectionProvider provider = new ZooKeeperLeaderElectionProvider(client, PATHS, scheduler);
        provider.afterPropertiesSet();
        curators.put(provider, client);
        return provider;
    }

    @Override
    public void closeClient(LeaderElectionProvider client) {
        ((ZooKeeperLeaderElectionProvider) client).destroy();
        CuratorFramework curator = curators.remove(client);
        if (curator != null) {
            curator.close();
        }
    }

    @Override
    public void assertNothingLeftBehind(LeaderElectionProvider client) {
        ZooKeeperLeaderElectionProvider provider = (ZooKeeperLeaderElectionProvider) client;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(provider.keepsNothing()).as(provider.leftBehind()).isTrue();
            if (!provider.clientStarted()) {
                return; // closed by the test: its session ended, and its nodes with it
            }
            long session = sessionOf(provider.client());
            assertThat(candidateNodes().entrySet().stream().filter(e -> e.getValue().getEphemeralOwner() == session))
                    .as("candidate nodes of session 0x%s", Long.toHexString(session)).isEmpty();
        });
    }

    @Override
    public Duration electionTimeout() {
        return electionTimeout;
    }

    static long sessionOf(CuratorFramework client) throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    /** Every candidate node of every group on the server, by path, with its stat. */
    Map<String, Stat> candidateNodes() throws Exception {
        CuratorFramework client = admin.get();
        String leaderRoot = ZKPaths.getPathAndNode(PATHS.leaderDir("any")).getPath();
        Map<String, Stat> nodes = new TreeMap<>();
        List<String> groups;
        try {
            groups = client.getChildren().forPath(leaderRoot);
        }
        catch (KeeperException.NoNodeException ex) {
            return nodes;
        }
        for (String group : groups) {
            String dir = ZKPaths.makePath(leaderRoot, group);
            try {
                for (String child : client.getChildren().forPath(dir)) {
                    String path = ZKPaths.makePath(dir, child);
                    Stat stat = client.checkExists().forPath(path);
                    if (stat != null) {
                        nodes.put(path, stat);
                    }
                }
            }
            catch (KeeperException.NoNodeException ignore) {
                // a container node the server removed meanwhile
            }
        }
        return nodes;
    }
}
