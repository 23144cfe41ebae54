package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.Membership;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import dev.ringlock.testsupport.contract.AbstractMembershipContractTests;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The membership contract on {@link ZooKeeperMembership} against a real (in-process) ZooKeeper server, each
 * member on its own {@link CuratorFramework}; plus a member coming back by itself after its session expired.
 */
class ZooKeeperMembershipContractTests extends AbstractMembershipContractTests {

    private static final int SESSION_TIMEOUT_MS = 6000;

    private static final ZooKeeperPaths PATHS = new ZooKeeperPaths("ringlock-test");

    static {
        // the test server's transaction log need not survive a power cut; without fsync it is much faster
        System.setProperty("zookeeper.forceSync", "no");
    }

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();

    private final Map<Membership, CuratorFramework> curators = new ConcurrentHashMap<>();

    @Override
    protected Membership createMembership() {
        CuratorFramework client = TestClients.zookeeper(zookeeper.connectString(), SESSION_TIMEOUT_MS,
                new ExponentialBackoffRetry(100, 3));
        ZooKeeperMembership membership = new ZooKeeperMembership(client, PATHS);
        curators.put(membership, client);
        return membership;
    }

    @Override
    protected void kill(Membership membership) {
        // closing the client ends its session, as the death of its process does once the server notices
        curators.get(membership).close();
    }

    @Override
    protected void release(Membership membership) {
        CuratorFramework client = curators.remove(membership);
        if (client != null) {
            client.close();
        }
    }

    @Override
    protected Duration deathDetection() {
        return Duration.ZERO;
    }

    @Test
    void aMemberWhoseSessionExpiredRegistersAgain() throws Exception {
        DefaultHashRingRouter watcher = router("member-1");
        DefaultHashRingRouter expiring = router("member-2");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(watcher.snapshot().nodes()).containsExactly("member-1", "member-2"));
        CuratorFramework client = curators.get(expiring.membership());

        client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

        await().atMost(Duration.ofSeconds(SESSION_TIMEOUT_MS / 1000 + 5)).untilAsserted(() -> {
            assertThat(((ZooKeeperMembership) expiring.membership()).registered("member-2")).isTrue();
            assertThat(client.getZookeeperClient().getZooKeeper().getSessionId()).isNotZero();
            assertThat(watcher.snapshot().nodes()).containsExactly("member-1", "member-2");
        });
    }
}
