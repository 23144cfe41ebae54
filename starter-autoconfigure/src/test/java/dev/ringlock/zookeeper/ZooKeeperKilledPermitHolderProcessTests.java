package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ringlock.AbstractKilledPermitHolderProcessTests;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.TestServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ZooKeeper permit holder killed with {@code kill -9}: its lease node, ephemeral, lives as long as its session,
 * which the server expires a session timeout after it last heard from the dead process. The node is found by its
 * {@code czxid}, the dead holder's fencing token; it is there right after the kill, and gone later; the waiter is
 * never seen inside while it is there.
 */
class ZooKeeperKilledPermitHolderProcessTests
        extends AbstractKilledPermitHolderProcessTests<ZooKeeperKilledPermitHolderProcessTests.LeaseNode> {

    private static final int SESSION_TIMEOUT_MS = 4000;

    static {
        System.setProperty("zookeeper.forceSync", "no");
    }

    /** A short tick, so the server grants (and enforces) a 4 s session: at most 20 ticks. */
    @RegisterExtension
    static final TestServerExtension<TestingServer> zooKeeper = TestServerExtension.of(
            () -> new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true));

    private static final ZooKeeperPaths paths = new ZooKeeperPaths(PREFIX);

    private static ScheduledExecutorService scheduler;
    private static CuratorFramework curator;
    private static ZooKeeperLockProvider provider;
    private static LockTemplate here;

    /** The dead holder's lease node and the session that owns it. */
    record LeaseNode(String path, long sessionId) {
    }

    @BeforeAll
    static void startSchedulerAndClient() {
        scheduler = Executors.newScheduledThreadPool(1);
        curator = TestClients.zookeeper(zooKeeper.server().getConnectString(), SESSION_TIMEOUT_MS,
                new ExponentialBackoffRetry(100, 3));
        provider = new ZooKeeperLockProvider(curator, paths, scheduler, LockLossListener.NONE);
        provider.afterPropertiesSet();
        here = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);
    }

    @AfterAll
    static void stopSchedulerAndClient() {
        if (provider != null) {
            provider.destroy();
        }
        if (curator != null) {
            curator.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    protected String[] holderArguments(String key) {
        return new String[] {"zookeeper", zooKeeper.server().getConnectString(), PREFIX, key,
                Integer.toString(SESSION_TIMEOUT_MS)};
    }

    @Override
    protected LockTemplate here() {
        return here;
    }

    @Override
    protected Duration waiterWait() {
        return Duration.ofMillis(SESSION_TIMEOUT_MS).plusSeconds(15);
    }

    @Override
    protected LeaseNode assertStillRecorded(String key, long token) throws Exception {
        String dir = paths.lockDir(key);
        List<String> children = curator.getChildren().forPath(dir);
        for (String child : children) {
            String path = ZKPaths.makePath(dir, child);
            Stat stat = curator.checkExists().forPath(path);
            if (stat != null && stat.getCzxid() == token) {
                long ours = curator.getZookeeperClient().getZooKeeper().getSessionId();
                assertThat(stat.getEphemeralOwner()).as("session of the dead holder's node %s", path)
                        .isNotZero().isNotEqualTo(ours);
                return new LeaseNode(path, stat.getEphemeralOwner());
            }
        }
        throw new AssertionError("no node with czxid " + token + " (the dead holder's token) in " + dir + ": "
                + children);
    }

    @Override
    protected LockHandle assertEntersOnlyAfterTheEnd(String key, LeaseNode dead, CompletableFuture<LockHandle> waiter)
            throws Exception {
        AtomicBoolean enteredBesideTheNode = new AtomicBoolean();
        await().atMost(waiterWait()).pollInterval(Duration.ofMillis(20)).until(() -> {
            // the waiter is read before the node: done here and the node still there after means it got in while
            // the dead holder's lease node, and so its permit, still stood
            boolean entered = waiter.isDone();
            boolean present = curator.checkExists().forPath(dead.path()) != null;
            if (entered && present) {
                enteredBesideTheNode.set(true);
            }
            return !present;
        });
        assertThat(enteredBesideTheNode).as("the waiter got in while the dead holder's node %s (session 0x%s) stood",
                dead.path(), Long.toHexString(dead.sessionId())).isFalse();
        return entered(waiter, waiterWait());
    }
}
