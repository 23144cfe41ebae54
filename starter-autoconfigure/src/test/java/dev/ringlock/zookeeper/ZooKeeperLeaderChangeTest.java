package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.TestClients;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockRequest;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a three-node ensemble, a lock outlives the election that follows the leader's death, its holder trusts
 * it again once reconnected, and fencing tokens ({@code czxid}) keep growing across the new leader's epoch.
 */
class ZooKeeperLeaderChangeTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(20);

    private static TestingCluster cluster;
    private static ScheduledExecutorService scheduler;
    private static final List<CuratorFramework> clients = new ArrayList<>();
    private static final List<LockLostEvent> lost = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startEnsemble() throws Exception {
        System.setProperty("zookeeper.forceSync", "no");
        cluster = new TestingCluster(3);
        cluster.start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        clients.forEach(CuratorFramework::close);
        scheduler.shutdownNow();
        cluster.close();
    }

    @Test
    void aHeldLockSurvivesTheLeaderChangeAndTokensKeepGrowing() throws Exception {
        ZooKeeperLockProvider holder = provider();
        ZooKeeperLockProvider other = provider();
        long before;
        try (LockHandle first = acquire(other, "failover")) {
            before = first.fencingToken();
        }
        LockHandle held = acquire(holder, "failover");
        assertThat(held.fencingToken()).isGreaterThan(before);

        cluster.killServer(EnsembleRoles.leader(cluster));

        // the quorum is gone until the election ends: every server drops its clients, so the holder's handle
        // is suspended; the session outlives the election, and so does the lock node: once reconnected,
        // the holder trusts its handle again and nobody else gets the lock
        await().atMost(LONG_WAIT).pollInterval(Duration.ofMillis(1)).until(() -> !held.isValid());
        await().atMost(LONG_WAIT).until(held::isValid);
        assertThat(other.tryAcquire(new LockRequest("failover", Duration.ZERO, Duration.ofSeconds(30)))).isEmpty();
        long during = held.fencingToken();
        held.close();

        LockHandle after = acquire(other, "failover");
        assertThat(after.fencingToken()).isGreaterThan(during);
        // a zxid's high 32 bits are the leader's epoch: the new token comes from the new leader
        assertThat(after.fencingToken() >>> 32).as("epoch of the token").isGreaterThan(during >>> 32);
        after.close();
        assertThat(lost).isEmpty();
    }

    private static LockHandle acquire(ZooKeeperLockProvider provider, String key) throws InterruptedException {
        Optional<LockHandle> handle = provider.tryAcquire(new LockRequest(key, LONG_WAIT, Duration.ofSeconds(30)));
        assertThat(handle).as("lock '%s' within %s", key, LONG_WAIT).isPresent();
        return handle.get();
    }

    private static ZooKeeperLockProvider provider() {
        CuratorFramework client = TestClients.zookeeper(cluster.getConnectString(), 15_000,
                new ExponentialBackoffRetry(100, 10, 2_000));
        clients.add(client);
        ZooKeeperLockProvider provider = new ZooKeeperLockProvider(client, new ZooKeeperPaths("ringlock-failover"),
                scheduler, lost::add);
        provider.afterPropertiesSet();
        return provider;
    }
}
