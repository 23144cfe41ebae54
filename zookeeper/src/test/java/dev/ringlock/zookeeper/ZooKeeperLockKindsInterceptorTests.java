package dev.ringlock.zookeeper;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.testsupport.ZooKeeperServerExtension;
import dev.ringlock.testsupport.contract.AbstractLockKindsInterceptorTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * READ, permit and several-key locks through the {@code @DistributedLock} interceptor (plain and reactive methods)
 * on {@link ZooKeeperLockProvider} against a real (in-process) ZooKeeper server.
 */
class ZooKeeperLockKindsInterceptorTests extends AbstractLockKindsInterceptorTests {

    private static final int TICK_MS = 500;
    private static final int SESSION_TIMEOUT_MS = 4000;

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension(TICK_MS);

    private static ScheduledExecutorService scheduler;

    private final ZooKeeperLockClients clients = new ZooKeeperLockClients(zookeeper::connectString, SESSION_TIMEOUT_MS,
            scheduler);

    @BeforeAll
    static void startScheduler() {
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterAll
    static void stopScheduler() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }
}
