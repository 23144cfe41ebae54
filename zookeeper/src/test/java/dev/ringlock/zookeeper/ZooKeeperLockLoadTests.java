package dev.ringlock.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.TestServerExtension;
import dev.ringlock.testsupport.contract.LockLoad;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ZooKeeper locks under load: 2,000 distinct keys held at once by 4 clients while 50 waiters queue on one key,
 * with short sessions that the shared scheduler confirms several times over. No lock is lost, no waiter waits
 * past its wait time, every held lock's deletion watch is set (they are held longer than its delay), and
 * afterwards the server holds no lock node and no more watches than before, counted on the server itself with
 * the {@code wchs} and {@code dump} four-letter words.
 */
@Tag("load")
class ZooKeeperLockLoadTests {

    private static final int SESSION_TIMEOUT_MS = 4000;
    private static final Duration WAITER_WAIT = Duration.ofSeconds(30);
    private static final int CLIENTS = 4;
    private static final int KEYS_PER_CLIENT = 500;
    private static final int WAITERS = 50;

    static {
        System.setProperty("zookeeper.forceSync", "no");
        // the server answers these four-letter words only when named here before it first gets one
        System.setProperty("zookeeper.4lw.commands.whitelist", "wchs,dump");
    }

    @RegisterExtension
    static final TestServerExtension<TestingServer> zookeeper = TestServerExtension.of(() -> new TestingServer(true));

    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void startScheduler() {
        scheduler = Executors.newScheduledThreadPool(1);
    }

    @AfterAll
    static void stopScheduler() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Test
    void twoThousandKeysHeldAtOnceAndFiftyWaitersOnOneKeyWithSessionsConfirmed() throws Exception {
        String prefix = "ringlock-load-" + UUID.randomUUID();
        ZooKeeperPaths paths = new ZooKeeperPaths(prefix);
        ExecutorService executor = Executors.newCachedThreadPool();
        List<CuratorFramework> curators = new ArrayList<>();
        List<ZooKeeperLockProvider> providers = new ArrayList<>();
        List<LockLostEvent> losses = new CopyOnWriteArrayList<>();
        try {
            List<DefaultLockTemplate> templates = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                CuratorFramework curator = TestClients.zookeeper(zookeeper.server().getConnectString(), SESSION_TIMEOUT_MS,
                        new ExponentialBackoffRetry(100, 3));
                curators.add(curator);
                ZooKeeperLockProvider provider = new ZooKeeperLockProvider(curator, paths, scheduler, losses::add);
                provider.afterPropertiesSet();
                providers.add(provider);
                templates.add(new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW));
            }
            long watchesBefore = settledWatchCount();

            List<LockHandle> held = LockLoad.holdDistinctKeys(templates, KEYS_PER_CLIENT, executor,
                    Duration.ofSeconds(120));
            assertThat(held).hasSize(CLIENTS * KEYS_PER_CLIENT);
            assertThat(lockNodes(prefix)).as("lock nodes on the server").isEqualTo(CLIENTS * KEYS_PER_CLIENT);
            // each held lock's node gets its deletion watch once held for the delay: the count sees all of ours
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> totalWatches() >= watchesBefore + CLIENTS * KEYS_PER_CLIENT);

            LockHandle hot = templates.get(0).acquire("hot", Duration.ZERO);
            List<CompletableFuture<Long>> waiters = LockLoad.queueWaiters(templates, "hot", WAITERS, WAITER_WAIT, executor);
            // every waiter is queued (one node each beside the holder's) before the holder lets go
            await().atMost(Duration.ofSeconds(30)).until(() -> lockNodes(prefix) == CLIENTS * KEYS_PER_CLIENT + 1 + WAITERS);
            hot.close();
            LockLoad.assertEachGotTheLockInTime(waiters, WAITER_WAIT);

            // for two session timeouts no loss is reported while the scheduler confirms the sessions
            await().during(Duration.ofMillis(2L * SESSION_TIMEOUT_MS)).atMost(Duration.ofMillis(4L * SESSION_TIMEOUT_MS))
                    .until(losses::isEmpty);
            await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS)).until(() -> held.stream().allMatch(LockHandle::isValid));

            held.forEach(LockHandle::close);

            await().atMost(Duration.ofSeconds(10)).until(() -> lockNodes(prefix) == 0);
            // each released node's watch fires and ends; on a starved machine that takes a while for 2,000 of them
            await().atMost(Duration.ofSeconds(30)).until(() -> totalWatches() == watchesBefore);
            assertThat(providers).allSatisfy(provider -> assertThat(provider.heldHandles()).isZero());
            assertThat(losses).isEmpty();
        }
        finally {
            executor.shutdownNow();
            providers.forEach(ZooKeeperLockProvider::destroy);
            curators.forEach(CuratorFramework::close);
        }
    }

    /**
     * The watch count once it stops moving. Each new Curator client's ensemble tracker sets its watch on
     * {@code /zookeeper/config} in the background after connecting, so a count taken right after start-up can
     * miss some of them and the end of the test would never get back down to it.
     */
    private static long settledWatchCount() {
        AtomicLong last = new AtomicLong(-1);
        await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(15))
                .until(() -> {
                    long now = totalWatches();
                    return now == last.getAndSet(now);
                });
        return last.get();
    }

    /** The server's count of watches ({@code wchs}: "Total watches:N"). */
    private static long totalWatches() throws IOException {
        String reply = fourLetterWord("wchs");
        Matcher total = Pattern.compile("Total watches:(\\d+)").matcher(reply);
        assertThat(total.find()).as("wchs reply: %s", reply).isTrue();
        return Long.parseLong(total.group(1));
    }

    /** Ephemeral nodes under the prefix's locks, as the server lists them ({@code dump}). */
    private static int lockNodes(String prefix) throws IOException {
        String reply = fourLetterWord("dump");
        assertThat(reply).as("dump reply").contains("Sessions with Ephemerals");
        String locks = "/" + prefix + "/locks/";
        return (int) reply.lines().filter(line -> line.trim().startsWith(locks)).count();
    }

    private static String fourLetterWord(String word) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", zookeeper.server().getPort()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
