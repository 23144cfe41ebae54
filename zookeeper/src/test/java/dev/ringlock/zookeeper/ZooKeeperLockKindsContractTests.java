package dev.ringlock.zookeeper;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockMode;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import dev.ringlock.testsupport.ZooKeeperSessions;
import dev.ringlock.testsupport.contract.AbstractLockKindsContractTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The lock kinds contract on {@link ZooKeeperLockProvider} against a real (in-process) ZooKeeper server, plus what
 * only ZooKeeper has: READ and permit locks that live with their session, and the nodes each kind leaves (none) in
 * the key's directory. Each client has its own {@link CuratorFramework}, as a separate process would.
 */
class ZooKeeperLockKindsContractTests extends AbstractLockKindsContractTests {

    /** A short tick, so that the server grants (and enforces) the short session below. */
    private static final int TICK_MS = 500;
    private static final int SESSION_TIMEOUT_MS = 4000;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZooKeeperPaths PATHS = new ZooKeeperPaths("ringlock-test");

    static {
        // the test server's transaction log need not survive a power cut; without fsync it is much faster
        System.setProperty("zookeeper.forceSync", "no");
    }

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension(TICK_MS);

    private static ScheduledExecutorService scheduler;
    private static CuratorFramework admin;
    /** Runs the waiters of the ZooKeeper-only tests, each on a thread of its own. */
    private static ExecutorService waiters;

    private final ZooKeeperLockClients clients = new ZooKeeperLockClients(zookeeper::connectString, SESSION_TIMEOUT_MS,
            scheduler);

    @BeforeAll
    static void startSchedulerAndAdmin() {
        scheduler = Executors.newScheduledThreadPool(2);
        waiters = Executors.newCachedThreadPool();
        admin = new ZooKeeperLockClients(zookeeper::connectString, SESSION_TIMEOUT_MS, scheduler).curator();
    }

    @AfterAll
    static void closeSchedulerAndAdmin() {
        if (admin != null) {
            admin.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (waiters != null) {
            waiters.shutdownNow();
        }
    }

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }

    /** The nodes in the key's lock directory now; empty if the directory is gone too. */
    private static List<String> nodesOf(String key) throws Exception {
        try {
            return admin.getChildren().forPath(PATHS.lockDir(key));
        }
        catch (KeeperException.NoNodeException ex) {
            return List.of();
        }
    }

    private static String nodeName(LockHandle handle) {
        String path = ((ZooKeeperLockHandle) handle).path();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static long sessionOf(CuratorFramework curator) throws Exception {
        return curator.getZookeeperClient().getZooKeeper().getSessionId();
    }

    /**
     * The paths on which the client of {@code provider} has watches of the given kind registered with the server
     * ({@code getDataWatches} or {@code getChildWatches}: ZooKeeper's own test accessors, protected).
     */
    private List<String> watches(LockProvider provider, String accessor) throws Exception {
        Method method = ZooKeeper.class.getDeclaredMethod(accessor);
        method.setAccessible(true);
        @SuppressWarnings("unchecked")
        List<String> paths = (List<String>) method.invoke(clients.curatorOf(provider).getZookeeperClient().getZooKeeper());
        // Curator's own watches (the ensemble tracker's on /zookeeper/config) are not the locks'
        return paths.stream().filter(path -> path.startsWith("/ringlock-test/locks/")).toList();
    }

    // ----------------------------------------------------------------- ZooKeeper only

    @Test
    void aPermitHolderWhoseSessionExpiresOnTheServerFreesItsPermitOnlyThenAndTheOthersStayValid() throws Exception {
        String key = key("expired-permit");
        LockProvider doomed = newClient();
        LockProvider survivor = newClient();
        DefaultLockTemplate waiterTemplate = template(newClient());
        LockHandle doomedHandle = template(doomed).tryAcquirePermit(key, 2, Duration.ZERO).orElseThrow();
        LockHandle survivorHandle = template(survivor).tryAcquirePermit(key, 2, Duration.ZERO).orElseThrow();
        AtomicReference<LockHandle> waiterHandle = new AtomicReference<>();
        CountDownLatch waiterIn = new CountDownLatch(1);
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            waiterHandle.set(waiterTemplate.tryAcquirePermit(key, 2, WAIT).orElseThrow());
            waiterIn.countDown();
        }, waiters);
        // the waiter is queued (its lease node waits behind the two holders'), and the key is full for anyone else
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(key)).anyMatch(LockNodes::isLease).hasSize(4));
        assertThat(template(newClient()).tryAcquirePermit(key, 2, Duration.ZERO)).isEmpty();
        assertThat(waiterIn.getCount()).as("waiter still out while both holders' sessions live").isEqualTo(1);

        CuratorFramework doomedCurator = clients.curatorOf(doomed);
        long oldSession = sessionOf(doomedCurator);
        ZooKeeperSessions.expire(doomedCurator, zookeeper.connectString());

        assertThat(waiterIn.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("waiter got the freed permit").isTrue();
        waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // the expiry happened on the server: the holder's node went with its session, and its client has a new one
        assertThat(nodesOf(key)).doesNotContain(nodeName(doomedHandle)).contains(nodeName(survivorHandle));
        await().atMost(WAIT).until(() -> sessionOf(doomedCurator) != oldSession && sessionOf(doomedCurator) != 0);
        await().atMost(WAIT).until(() -> !doomedHandle.isValid());
        await().atMost(WAIT).untilAsserted(() -> assertThat(lossEvents(doomed)).singleElement()
                .satisfies(event -> assertThat(event.key()).isEqualTo(key)));
        assertThat(survivorHandle.isValid()).as("the other holder").isTrue();
        assertThat(lossEvents(survivor)).isEmpty();
        assertThat(waiterHandle.get().fencingToken()).isGreaterThan(survivorHandle.fencingToken())
                .isGreaterThan(doomedHandle.fencingToken());
        doomedHandle.close();
        waiterHandle.get().close();
        survivorHandle.close();
        assertThat(nodesOf(key)).isEmpty();
    }

    @Test
    void aFrozenReaderAndAFrozenPermitHolderAreInvalidOnResume() throws Exception {
        ZooKeeperLockProvider holder = (ZooKeeperLockProvider) newClient();
        CuratorFramework curator = clients.curatorOf(holder);
        String readKey = key("frozen-read");
        String permitKey = key("frozen-permit");
        LockHandle reader = template(holder).tryAcquireRead(readKey, Duration.ZERO).orElseThrow();
        LockHandle permit = template(holder).tryAcquirePermit(permitKey, 3, Duration.ZERO).orElseThrow();
        long sessionTimeout = curator.getZookeeperClient().getZooKeeper().getSessionTimeout();
        // no confirmations from now on, as in a process frozen by a GC pause or SIGSTOP: only the local clock
        // can tell that the session is no longer vouched for
        holder.pauseSessionChecksForTests(true);
        long paused = System.nanoTime();
        try {
            Duration fromPause = Duration.ofNanos(System.nanoTime() - paused);
            await().pollDelay(Duration.ofMillis(sessionTimeout).minus(fromPause))
                    .atMost(Duration.ofMillis(sessionTimeout + 200).minus(fromPause)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !reader.isValid() && !permit.isValid());
            assertThat(curator.getZookeeperClient().isConnected()).isTrue();
            assertThat(lossEvents(holder)).as("nothing is known lost").isEmpty();
        }
        finally {
            holder.pauseSessionChecksForTests(false);
        }
        // the session and its nodes are still there: the next confirmation vouches for both again
        await().atMost(Duration.ofMillis(sessionTimeout)).until(() -> reader.isValid() && permit.isValid());
        assertHeldElsewhere(newClient(), readKey);
        reader.close();
        permit.close();
    }

    @Test
    void readersAndWritersEnterInOrderOfArrival() throws Exception {
        String key = key("order");
        LockHandle firstWriter = template(newClient()).tryAcquire(key, Duration.ZERO).orElseThrow();
        DefaultLockTemplate readers = template(newClient());
        DefaultLockTemplate writers = template(newClient());
        CountDownLatch readerIn = new CountDownLatch(1);
        CountDownLatch releaseReader = new CountDownLatch(1);
        CountDownLatch secondWriterIn = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (LockHandle handle = readers.tryAcquireRead(key, WAIT).orElseThrow()) {
                assertThat(handle.fencingToken()).isGreaterThan(firstWriter.fencingToken());
                readerIn.countDown();
                assertThat(releaseReader.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
            catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        }, waiters);
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(key)).hasSize(2));
        CompletableFuture<Void> secondWriter = CompletableFuture.runAsync(() -> {
            try (LockHandle handle = writers.tryAcquire(key, WAIT).orElseThrow()) {
                secondWriterIn.countDown();
            }
        }, waiters);
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(key)).hasSize(3));

        firstWriter.close();
        // the reader, which came before the second writer, goes in first; the writer waits for it
        assertThat(readerIn.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reader in").isTrue();
        assertThat(secondWriterIn.getCount()).as("second writer waits for the reader").isEqualTo(1);
        assertThat(readers.tryAcquireRead(key, Duration.ZERO)).as("a reader after the waiting writer").isEmpty();
        releaseReader.countDown();
        assertThat(secondWriterIn.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("second writer in").isTrue();
        reader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        secondWriter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(nodesOf(key)).isEmpty();
    }

    @Test
    void eachWaiterWatchesOneNodeAndOnlyTheHeadOfAPermitQueueWatchesTheLeases() throws Exception {
        String rw = key("rw-watches");
        String permits = key("permit-watches");
        String rwDir = PATHS.lockDir(rw);
        String permitDir = PATHS.lockDir(permits);
        DefaultLockTemplate holder = template(newClient());
        LockHandle writer = holder.tryAcquire(rw, Duration.ZERO).orElseThrow();
        List<LockHandle> leases = List.of(holder.tryAcquirePermit(permits, 2, Duration.ZERO).orElseThrow(),
                holder.tryAcquirePermit(permits, 2, Duration.ZERO).orElseThrow());
        List<LockProvider> readers = List.of(newClient(), newClient(), newClient());
        LockProvider lateWriter = newClient();
        List<LockProvider> permitWaiters = List.of(newClient(), newClient(), newClient());
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Consumer<Optional<LockHandle>> keep = handle -> {
            try {
                done.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            handle.ifPresent(LockHandle::close);
        };
        for (LockProvider client : readers) {
            waits.add(CompletableFuture.runAsync(() -> keep.accept(template(client).tryAcquireRead(rw, WAIT)), waiters));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(rw)).hasSize(4));
        waits.add(CompletableFuture.runAsync(() -> keep.accept(template(lateWriter).tryAcquire(rw, WAIT)), waiters));
        for (LockProvider client : permitWaiters) {
            waits.add(CompletableFuture.runAsync(() -> keep.accept(template(client).tryAcquirePermit(permits, 2, WAIT)),
                    waiters));
            // one after the other, so that the first is the head of the queue and each next one queues behind
            await().atMost(WAIT).untilAsserted(() -> assertThat(client == permitWaiters.get(0)
                    ? watches(client, "getChildWatches") : watches(client, "getDataWatches")).hasSize(1));
        }
        String writerNode = ((ZooKeeperLockHandle) writer).path();
        // every reader waits for the writer before it, and nothing else; the late writer for its predecessor alone
        for (LockProvider client : readers) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(watches(client, "getDataWatches"))
                    .containsExactly(writerNode));
            assertThat(watches(client, "getChildWatches")).isEmpty();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(watches(lateWriter, "getDataWatches")).singleElement()
                .satisfies(path -> assertThat(path).startsWith(rwDir + "/").contains("-read-")));
        assertThat(watches(lateWriter, "getChildWatches")).isEmpty();
        // the head of the permit queue watches the key's children (its leases); the others their predecessor in the queue
        await().atMost(WAIT).untilAsserted(() -> assertThat(watches(permitWaiters.get(0), "getChildWatches"))
                .containsExactly(permitDir));
        assertThat(watches(permitWaiters.get(0), "getDataWatches")).isEmpty();
        for (LockProvider client : permitWaiters.subList(1, 3)) {
            assertThat(watches(client, "getDataWatches")).singleElement()
                    .satisfies(path -> assertThat(path).startsWith(permitDir + "/").contains("-wait-"));
            assertThat(watches(client, "getChildWatches")).isEmpty();
        }
        writer.close();
        leases.forEach(LockHandle::close);
        done.countDown();
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(rw)).isEmpty());
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(permits)).isEmpty());
    }

    @Test
    void aKeyMetWithAnotherKindIsRefusedNamingTheKeyAndBothCountsAndLeavesNoNode() throws Exception {
        DefaultLockTemplate holder = template(newClient());
        DefaultLockTemplate other = template(newClient());
        String exclusive = key("exclusive");
        String read = key("read");
        String permits = key("permits");
        try (LockHandle w = holder.tryAcquire(exclusive, Duration.ZERO).orElseThrow();
                LockHandle r = holder.tryAcquireRead(read, Duration.ZERO).orElseThrow();
                LockHandle p = holder.tryAcquirePermit(permits, 2, Duration.ZERO).orElseThrow()) {
            assertThatIllegalArgumentException().isThrownBy(() -> other.tryAcquirePermit(exclusive, 3, WAIT))
                    .withMessageContaining("'" + exclusive + "'").withMessageContaining("in use with 1 permit(s)")
                    .withMessageContaining("asked for with 3 permit(s)");
            assertThatIllegalArgumentException().isThrownBy(() -> other.tryAcquirePermit(read, 3, WAIT))
                    .withMessageContaining("'" + read + "'").withMessageContaining("in use with 1 permit(s)");
            assertThatIllegalArgumentException().isThrownBy(() -> other.tryAcquireRead(permits, WAIT))
                    .withMessageContaining("'" + permits + "'").withMessageContaining("in use with 2 permit(s)")
                    .withMessageContaining("asked for with 1 permit(s)");
            assertThatIllegalArgumentException().isThrownBy(() -> other.tryAcquire(permits, WAIT))
                    .withMessageContaining("'" + permits + "'").withMessageContaining("in use with 2 permit(s)");
            assertThatIllegalArgumentException().isThrownBy(() -> other.tryAcquirePermit(permits, 5, WAIT))
                    .withMessageContaining("in use with 2 permit(s)").withMessageContaining("asked for with 5");
            // the refused requests took their nodes back: only the holders' are left
            assertThat(nodesOf(exclusive)).containsExactly(nodeName(w));
            assertThat(nodesOf(read)).containsExactly(nodeName(r));
            assertThat(nodesOf(permits)).containsExactly(nodeName(p));
        }
        // once idle, a key may be used with another kind
        template(newClient()).tryAcquirePermit(exclusive, 3, Duration.ZERO).orElseThrow().close();
        template(newClient()).tryAcquire(permits, Duration.ZERO).orElseThrow().close();
    }

    @Test
    void waitsThatRunOutOrAreInterruptedLeaveNothingInTheKeysDirectory() throws Exception {
        String rw = key("rw");
        String permits = key("permits");
        DefaultLockTemplate holder = template(newClient());
        LockProvider waiting = newClient();
        DefaultLockTemplate waiter = template(waiting);
        LockHandle writer = holder.tryAcquire(rw, Duration.ZERO).orElseThrow();
        LockHandle first = holder.tryAcquirePermit(permits, 2, Duration.ZERO).orElseThrow();
        LockHandle second = holder.tryAcquirePermit(permits, 2, Duration.ZERO).orElseThrow();
        List<String> held = List.of(nodeName(first), nodeName(second));

        assertThat(waiter.tryAcquireRead(rw, Duration.ofMillis(300))).isEmpty();
        assertThat(waiter.tryAcquire(rw, Duration.ofMillis(300))).isEmpty();
        assertThat(waiter.tryAcquirePermit(permits, 2, Duration.ofMillis(300))).as("at the head of the queue").isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(rw)).containsExactly(nodeName(writer)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(permits)).containsExactlyInAnyOrderElementsOf(held));

        // one waiter at the head of the queue (its lease waiting), one behind it in the queue, then both give up
        CountDownLatch headQueued = new CountDownLatch(1);
        CompletableFuture<Optional<LockHandle>> head = CompletableFuture.supplyAsync(() -> {
            headQueued.countDown();
            return waiter.tryAcquirePermit(permits, 2, Duration.ofSeconds(2));
        }, waiters);
        assertThat(headQueued.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(permits)).filteredOn(LockNodes::isLease).hasSize(3));
        assertThat(template(newClient()).tryAcquirePermit(permits, 2, Duration.ofMillis(300))).as("behind the head")
                .isEmpty();
        assertThat(head.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(permits)).containsExactlyInAnyOrderElementsOf(held));

        // an interrupted waiter
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        CompletableFuture<Void> interrupted = CompletableFuture.runAsync(() -> {
            waiterThread.set(Thread.currentThread());
            assertThatThrownBy(() -> waiting.tryAcquire(new LockRequest(permits, WAIT, Duration.ofSeconds(30),
                    Duration.ZERO, LockMode.WRITE, 2))).isInstanceOf(InterruptedException.class);
        }, waiters);
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(permits)).filteredOn(LockNodes::isLease).hasSize(3));
        waiterThread.get().interrupt();
        interrupted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(permits)).containsExactlyInAnyOrderElementsOf(held));

        writer.close();
        first.close();
        second.close();
        assertThat(nodesOf(rw)).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodesOf(permits)).isEmpty());
    }
}
