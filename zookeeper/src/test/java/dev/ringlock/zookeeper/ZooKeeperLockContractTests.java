package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.testsupport.FaultProxy;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import dev.ringlock.testsupport.contract.AbstractLockContractTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lock contract on {@link ZooKeeperLockProvider} against a real (in-process) ZooKeeper server, plus what
 * only ZooKeeper has: locks that live with the session, and a suspended connection. Each client has its
 * own {@link CuratorFramework}, as a separate process would; the contract's hooks are its
 * {@link ZooKeeperLockClients} fixture.
 */
class ZooKeeperLockContractTests extends AbstractLockContractTests {

    /** A short tick, so that the server grants (and enforces) the short session below. */
    private static final int TICK_MS = 500;
    private static final int SESSION_TIMEOUT_MS = 4000;

    static {
        // the test server's transaction log need not survive a power cut; without fsync it is much faster
        System.setProperty("zookeeper.forceSync", "no");
    }

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension(TICK_MS);

    private static ScheduledExecutorService scheduler;
    private static CuratorFramework admin;

    private final ZooKeeperLockClients clients = new ZooKeeperLockClients(zookeeper::connectString, SESSION_TIMEOUT_MS,
            scheduler);

    @BeforeAll
    static void startSchedulerAndAdmin() {
        scheduler = Executors.newScheduledThreadPool(2);
        admin = curator();
    }

    @AfterAll
    static void closeSchedulerAndAdmin() {
        if (admin != null) {
            admin.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private static CuratorFramework curator() {
        return TestClients.zookeeper(zookeeper.connectString(), SESSION_TIMEOUT_MS, new ExponentialBackoffRetry(100, 3));
    }

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }

    /**
     * Expires the client's session on the server: a second connection joins the session with its id and
     * password and closes it. (curator-test's {@code KillSession} only fakes the expiry inside the client,
     * and the server would keep the lock node until the session times out.)
     */
    private static void expireSession(CuratorFramework client) throws Exception {
        ZooKeeper zooKeeper = client.getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(zookeeper.connectString(), SESSION_TIMEOUT_MS, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, zooKeeper.getSessionId(), zooKeeper.getSessionPasswd());
        try {
            assertThat(connected.await(10, TimeUnit.SECONDS)).as("joined the session to expire it").isTrue();
        }
        finally {
            twin.close();
        }
    }

    // ----------------------------------------------------------------- ZooKeeper only

    @Test
    void lockNodeDeletedBySomeoneElseWithinTheWatchDelayIsReportedLostOnceTheDelayPasses() throws Exception {
        Duration delay = ZooKeeperLockProvider.DELETION_WATCH_DELAY;
        LockProvider holder = newClient();
        String key = key("deleted-early");
        long beforeAcquire = System.nanoTime();
        LockHandle handle = template(holder).acquire(key, Duration.ZERO);

        admin.delete().forPath(((ZooKeeperLockHandle) handle).path());
        Duration deletedAfter = Duration.ofNanos(System.nanoTime() - beforeAcquire);

        await().atMost(delay.plusSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> !handle.isValid());
        // nothing looks at the node before the watch's set-up, a delay after acquisition (seen after the fact, so
        // this holds however slow the machine)
        assertThat(Duration.ofNanos(System.nanoTime() - beforeAcquire)).as("noticed after").isGreaterThanOrEqualTo(delay);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lossEvents(holder)).singleElement()
                .satisfies(event -> {
                    assertThat(event.key()).isEqualTo(key);
                    assertThat(event.backend()).isEqualTo("zookeeper");
                    if (deletedAfter.compareTo(delay) < 0) {
                        // deleted before the set-up was sent (as always, but on a machine stalled for a whole delay)
                        assertThat(event.reason()).contains("was gone when its deletion watch was set up");
                    }
                }));
        try (LockHandle next = template(newClient()).acquire(key, Duration.ofSeconds(5))) {
            assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
            handle.close();
            assertThat(next.isValid()).isTrue();
        }
        assertThat(lossEvents(holder)).as("reported once").hasSize(1);
    }

    @Test
    void lockNodeDeletedBySomeoneElseAfterTheWatchDelayIsReportedLostByTheWatch() throws Exception {
        LockProvider holder = newClient();
        String key = key("deleted-late");
        LockHandle handle = template(holder).acquire(key, Duration.ZERO);
        ZooKeeperLockHandle zooKeeperHandle = (ZooKeeperLockHandle) handle;
        // held past the delay: the watch is on the node
        await().atMost(ZooKeeperLockProvider.DELETION_WATCH_DELAY.plusSeconds(10))
                .until(() -> zooKeeperHandle.deletionWatch() == ZooKeeperLockHandle.DeletionWatch.SET);
        assertThat(handle.isValid()).isTrue();

        admin.delete().forPath(zooKeeperHandle.path());

        await().atMost(Duration.ofSeconds(5)).until(() -> !handle.isValid());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(lossEvents(holder)).singleElement()
                .satisfies(event -> {
                    assertThat(event.key()).isEqualTo(key);
                    assertThat(event.reason()).contains("was deleted by someone else");
                }));
        handle.close();
        assertThat(lossEvents(holder)).as("reported once").hasSize(1);
        assertFree(newClient(), key);
    }

    @Test
    void lockReleasedLostOrClosedWithinTheWatchDelaySendsNoWatch() throws Exception {
        // long enough for a release, a session expiry and a close to be done within it on a loaded machine
        Duration delay = Duration.ofSeconds(4);
        clients.deletionWatchDelay(delay);
        LockProvider released = newClient();
        LockProvider expired = newClient();
        ZooKeeperLockProvider closed = (ZooKeeperLockProvider) newClient();
        long beforeAcquire = System.nanoTime();
        var releasedHandle = (ZooKeeperLockHandle) template(released).acquire(key("released"), Duration.ZERO);
        var expiredHandle = (ZooKeeperLockHandle) template(expired).acquire(key("expired"), Duration.ZERO);
        var closedHandle = (ZooKeeperLockHandle) template(closed).acquire(key("closed"), Duration.ZERO);
        List<ZooKeeperLockHandle> handles = List.of(releasedHandle, expiredHandle, closedHandle);
        assertThat(handles).allSatisfy(handle ->
                assertThat(handle.deletionWatch()).isEqualTo(ZooKeeperLockHandle.DeletionWatch.PENDING));

        releasedHandle.close();
        closed.destroy();
        expireSession(clients.curatorOf(expired));
        await().atMost(Duration.ofSeconds(10)).until(() -> !lossEvents(expired).isEmpty());

        Duration elapsed = Duration.ofNanos(System.nanoTime() - beforeAcquire);
        assertThat(elapsed).as("all done within the delay").isLessThan(delay);
        assertThat(handles).allSatisfy(handle ->
                assertThat(handle.deletionWatch()).isEqualTo(ZooKeeperLockHandle.DeletionWatch.CANCELLED));
        // past the time the set-ups were due, nothing was sent
        await().during(delay.minus(elapsed).plusMillis(500)).atMost(delay.plusSeconds(5))
                .until(() -> handles.stream().allMatch(h -> h.deletionWatch() == ZooKeeperLockHandle.DeletionWatch.CANCELLED));
        closedHandle.close();
    }

    @Test
    void suspendedConnectionMakesTheHandleInvalidUntilReconnected() throws Exception {
        assumeTrue(zookeeper.server().supportsFaults(), "server supports faults");
        LockProvider holder = newClient();
        CuratorFramework curator = clients.curatorOf(holder);
        String key = key("suspended");
        LockHandle handle = template(holder).acquire(key, Duration.ZERO);
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        curator.getConnectionStateListenable().addListener((client, state) -> states.add(state));
        try {
            // the restart runs aside, so that this thread can watch the handle while the server is away
            long restarted = System.nanoTime();
            CompletableFuture<Void> restart = CompletableFuture.runAsync(zookeeper.server()::restart);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> !handle.isValid());
            // invalid through the suspension, well before the session's deadline could have run out (listeners
            // are called one after the other, so this test's own may hear of the suspension a moment later)
            assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofMillis(SESSION_TIMEOUT_MS / 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(ConnectionState.SUSPENDED));
            restart.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> states.contains(ConnectionState.RECONNECTED));
            await().atMost(Duration.ofSeconds(10)).until(handle::isValid);
            assertThat(states).doesNotContain(ConnectionState.LOST);
            assertThat(lossEvents(holder)).as("same session, nothing lost").isEmpty();
            assertHeldElsewhere(newClient(), key);
        }
        finally {
            handle.close();
        }
        assertThat(assertFree(newClient(), key)).isGreaterThan(handle.fencingToken());
    }

    @Test
    void validityIsJudgedOnTheLocalClockFromTheLastConfirmedSession() throws Exception {
        ZooKeeperLockProvider holder = (ZooKeeperLockProvider) newClient();
        CuratorFramework curator = clients.curatorOf(holder);
        String key = key("frozen");
        LockHandle handle = template(holder).acquire(key, Duration.ZERO);
        long sessionTimeout = curator.getZookeeperClient().getZooKeeper().getSessionTimeout();
        // no confirmations from now on, as in a process frozen by a GC pause or SIGSTOP; the client itself
        // stays connected, so only the local clock can tell that the session is no longer vouched for
        holder.pauseSessionChecksForTests(true);
        long paused = System.nanoTime();
        try {
            // a session timeout after the pause, the last confirmation no longer vouches for the session; nothing
            // can make the handle valid again while paused, so a late first look still sees the same answer
            Duration fromPause = Duration.ofNanos(System.nanoTime() - paused);
            await().pollDelay(Duration.ofMillis(sessionTimeout).minus(fromPause))
                    .atMost(Duration.ofMillis(sessionTimeout + 200).minus(fromPause)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !handle.isValid());
            assertThat(curator.getZookeeperClient().isConnected()).isTrue();
            assertThat(lossEvents(holder)).as("nothing is known lost").isEmpty();
        }
        finally {
            holder.pauseSessionChecksForTests(false);
        }
        // the session and its node are still there: the next confirmation vouches for the lock again
        await().atMost(Duration.ofMillis(sessionTimeout)).until(handle::isValid);
        assertHeldElsewhere(newClient(), key);
        handle.close();
    }

    /**
     * A client that is still connecting has no session yet (id and timeout 0): a lock taken the moment it
     * starts, as a plain Spring application without Boot's wait for the connection does, must live in the
     * session the server then grants, not be judged invalid from the start.
     */
    @Test
    void aLockTakenWhileTheClientIsStillConnectingIsValidInTheSessionItGets() throws Exception {
        String[] server = zookeeper.connectString().split(":");
        // the server's answers, the one granting the session first, arrive late: the client is still connecting
        // when the lock is asked for
        try (FaultProxy slow = FaultProxy.start(server[0], Integer.parseInt(server[1]))) {
            slow.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(300));
            CuratorFramework connecting = CuratorFrameworkFactory.builder()
                    .connectString(slow.host() + ":" + slow.port()).sessionTimeoutMs(SESSION_TIMEOUT_MS)
                    .retryPolicy(new ExponentialBackoffRetry(100, 5)).build();
            connecting.start();
            ZooKeeperLockProvider provider = new ZooKeeperLockProvider(connecting, new ZooKeeperPaths("ringlock-test"),
                    scheduler, event -> {
                    });
            try {
                provider.afterPropertiesSet();
                String key = key("connecting");
                try (LockHandle handle = template(provider).acquire(key, Duration.ofSeconds(10))) {
                    assertThat(handle.isValid()).isTrue();
                    assertHeldElsewhere(newClient(), key);
                }
            }
            finally {
                provider.destroy();
                connecting.close();
            }
        }
    }

    /**
     * The release's delete reaches the server and runs, and its answer is lost (the proxy black-holes the
     * server's answers only, so the session lives on the client's pings); healed, the client reconnects on the
     * same session and the retried delete finds no node, which was its own first attempt's work.
     */
    @Test
    void aReleaseWhoseDeleteAnswerIsLostIsRetriedWithoutAFalseLossAndTheNextHolderHasTheLockAtOnce()
            throws Exception {
        String[] server = zookeeper.connectString().split(":");
        ExecutorService executor = Executors.newCachedThreadPool();
        try (FaultProxy proxy = FaultProxy.start(server[0], Integer.parseInt(server[1]))) {
            // the longest session the server grants (20 ticks), far longer than the cut
            CuratorFramework proxied = TestClients.zookeeper(proxy.host() + ":" + proxy.port(), 20 * TICK_MS,
                    new ExponentialBackoffRetry(100, 5));
            List<LockLostEvent> losses = new CopyOnWriteArrayList<>();
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            proxied.getConnectionStateListenable().addListener((client, state) -> states.add(state));
            ZooKeeperLockProvider provider = new ZooKeeperLockProvider(proxied, new ZooKeeperPaths("ringlock-test"),
                    scheduler, losses::add);
            try {
                provider.afterPropertiesSet();
                String key = key("lost-delete-answer");
                LockHandle held = template(provider).acquire(key, Duration.ZERO);
                String path = ((ZooKeeperLockHandle) held).path();
                long session = proxied.getZookeeperClient().getZooKeeper().getSessionId();
                LockProvider other = newClient();
                CompletableFuture<LockHandle> next = CompletableFuture.supplyAsync(
                        () -> template(other).acquire(key, Duration.ofSeconds(30)), executor);
                String directory = ZKPaths.getPathAndNode(path).getPath();
                await().atMost(Duration.ofSeconds(5)).until(() -> admin.getChildren().forPath(directory).size() == 2);

                proxy.blackHole(FaultProxy.Direction.TO_CLIENT);
                CompletableFuture<Void> closing = CompletableFuture.runAsync(held::close, executor);
                // the delete ran on the server, and the next holder in another client has the lock at once, while
                // the holder still waits for the answer
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                        .until(() -> admin.checkExists().forPath(path) == null);
                LockHandle nextHandle = next.get(10, TimeUnit.SECONDS);
                assertThat(nextHandle.fencingToken()).isGreaterThan(held.fencingToken());
                assertThat(closing).as("the close, still waiting for its lost answer").isNotDone();

                int connections = proxy.acceptedConnections();
                proxy.heal();
                closing.get(20, TimeUnit.SECONDS); // returns normally, with the retried delete's NoNode
                assertThat(proxy.acceptedConnections()).as("connections after the heal").isGreaterThan(connections);
                assertThat(states).as("connection states of the holder's client")
                        .contains(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                        .doesNotContain(ConnectionState.LOST);
                assertThat(proxied.getZookeeperClient().getZooKeeper().getSessionId()).as("the same session")
                        .isEqualTo(session);
                assertThat(losses).as("losses reported for a lock that was released").isEmpty();
                assertThat(nextHandle.isValid()).isTrue();
                nextHandle.close();
                assertFree(newClient(), key);
            }
            finally {
                provider.destroy();
                proxied.close();
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    /** The release deletes the node below the client's namespace, where the client's builders created it. */
    @Test
    void aLockOfANamespacedClientIsReleasedWithoutALoss() throws Exception {
        CuratorFramework base = curator();
        CuratorFramework namespaced = base.usingNamespace("release-namespace");
        List<LockLostEvent> losses = new CopyOnWriteArrayList<>();
        ZooKeeperLockProvider provider = new ZooKeeperLockProvider(namespaced, new ZooKeeperPaths("ringlock-test"),
                scheduler, losses::add);
        try {
            provider.afterPropertiesSet();
            String key = key("namespaced");
            LockHandle held = template(provider).acquire(key, Duration.ZERO);
            String path = ((ZooKeeperLockHandle) held).path();
            assertThat(admin.checkExists().forPath("/release-namespace" + path)).as("node below the namespace")
                    .isNotNull();
            held.close();
            assertThat(admin.checkExists().forPath("/release-namespace" + path)).as("deleted").isNull();
            assertThat(losses).isEmpty();
        }
        finally {
            provider.destroy();
            base.close();
        }
    }
}
