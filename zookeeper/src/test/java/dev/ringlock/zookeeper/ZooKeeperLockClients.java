package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperSessions;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lock fixture on ZooKeeper, one per test: each client a {@link ZooKeeperLockProvider} on a
 * {@link CuratorFramework} of its own, as a separate process would have, sharing the test class's scheduler.
 */
final class ZooKeeperLockClients implements LockProviderFixture {

    private final Supplier<String> connectString;
    private final int sessionTimeoutMs;
    private final ScheduledExecutorService scheduler;
    private final Map<LockProvider, CuratorFramework> curators = new ConcurrentHashMap<>();

    /** The deletion-watch delay of the clients made from now on in this test. */
    private Duration deletionWatchDelay = ZooKeeperLockProvider.DELETION_WATCH_DELAY;

    ZooKeeperLockClients(Supplier<String> connectString, int sessionTimeoutMs, ScheduledExecutorService scheduler) {
        this.connectString = connectString;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.scheduler = scheduler;
    }

    /** A Curator client of the test's own, with the clients' session timeout. */
    CuratorFramework curator() {
        return TestClients.zookeeper(connectString.get(), sessionTimeoutMs, new ExponentialBackoffRetry(100, 3));
    }

    /** The Curator client of {@code client}, made by {@link #createClient}. */
    CuratorFramework curatorOf(LockProvider client) {
        return curators.get(client);
    }

    void deletionWatchDelay(Duration delay) {
        this.deletionWatchDelay = delay;
    }

    @Override
    public LockProvider createClient(LockLossListener lossListener) {
        CuratorFramework client = curator();
        ZooKeeperLockProvider provider = new ZooKeeperLockProvider(client, new ZooKeeperPaths("ringlock-test"),
                scheduler, lossListener, deletionWatchDelay);
        provider.afterPropertiesSet();
        curators.put(provider, client);
        return provider;
    }

    @Override
    public void closeClient(LockProvider client) {
        ((ZooKeeperLockProvider) client).destroy();
        CuratorFramework curator = curators.remove(client);
        if (curator != null) {
            curator.close();
        }
    }

    @Override
    public void assertNothingLeftBehind(LockProvider client) {
        ZooKeeperLockProvider provider = (ZooKeeperLockProvider) client;
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(provider.heldHandles()).as("handles still watched").isZero());
    }

    /** Ends the holder's session on the server, as a session timeout would. */
    @Override
    public void loseLock(LockHandle handle, LockProvider holderClient) throws Exception {
        ZooKeeperSessions.expire(curatorOf(holderClient), connectString.get());
    }
}
