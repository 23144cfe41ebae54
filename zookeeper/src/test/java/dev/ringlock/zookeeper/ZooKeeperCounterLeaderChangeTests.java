package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperEnsembleExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a three-node ensemble, a follower and then the leader die in the middle of a run of increments from
 * several clients. An
 * increment whose {@code setData} answer is lost in the election may still have been applied; the store
 * settles that from the write receipt stored with the value (see {@link ZooKeeperCounterStore}) instead of
 * retrying blindly. So every increment that returned a value counted exactly once, every increment that
 * threw did not count at all, and the final value is exactly the number of increments that returned.
 */
@Tag("fault")
class ZooKeeperCounterLeaderChangeTests {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    static {
        // the test server's transaction log need not survive a power cut; without fsync it is much faster
        System.setProperty("zookeeper.forceSync", "no");
    }

    @RegisterExtension
    static final ZooKeeperEnsembleExtension ensemble = new ZooKeeperEnsembleExtension(3);

    private static final List<CuratorFramework> clients = new ArrayList<>();

    @AfterAll
    static void closeClients() {
        clients.forEach(CuratorFramework::close);
    }

    @Test
    void everyIncrementThatReturnedCountedOnceAcrossTheLeaderChange() throws Exception {
        int clientCount = 4;
        int threadsPerClient = 2;
        String name = "failover";
        List<ZooKeeperCounterStore> stores = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            stores.add(store());
        }
        Queue<Long> returned = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(clientCount * threadsPerClient);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ZooKeeperCounterStore store : stores) {
                for (int t = 0; t < threadsPerClient; t++) {
                    running.add(threads.submit(() -> {
                        while (!stop.get()) {
                            try {
                                returned.add(store.incrementAndGet(name));
                            }
                            catch (CounterBackendException ex) {
                                failures.computeIfAbsent(ex.getClass().getSimpleName(), k -> new AtomicInteger())
                                        .incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
            }
            await().atMost(LONG_WAIT).until(() -> returned.size() >= 300);

            // a follower dies first: writes it forwarded to the leader commit, but their answers die with it
            InstanceSpec follower = EnsembleRoles.follower(ensemble.server());
            ensemble.server().killServer(follower);
            awaitProgress(returned, 300);
            ensemble.server().restartServer(follower);
            await().atMost(LONG_WAIT).ignoreExceptions().until(() -> EnsembleRoles.isIn(follower, "follower"));
            awaitProgress(returned, 300);

            // then the leader: writes it had not committed may be lost or kept by the new one
            ensemble.server().killServer(EnsembleRoles.leader(ensemble.server()));
            awaitProgress(returned, 600);
            stop.set(true);
            for (Future<?> thread : running) {
                thread.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        finally {
            stop.set(true);
            threads.shutdownNow();
        }

        long[] settled = new long[2];
        stores.forEach(store -> {
            settled[0] += store.settledLostAnswers()[0];
            settled[1] += store.settledLostAnswers()[1];
        });
        long[] values = returned.stream().mapToLong(Long::longValue).sorted().toArray();
        long finalValue = stores.get(0).get(name);
        assertThat(failures).as("failures that would leave an increment uncounted or counted unreturned")
                .doesNotContainKey(CounterOutcomeUnknownException.class.getSimpleName());
        assertThat(finalValue).as("final value; failed increments %s; lost answers settled as applied %d, as not applied %d",
                failures, settled[0], settled[1]).isEqualTo(values.length);
        assertThat(values).as("every returned value once, no gap").isEqualTo(LongStream.rangeClosed(1, finalValue).toArray());
        assertThat(Arrays.stream(values).distinct().count()).isEqualTo(values.length);
    }

    /** Waits until the running increments return {@code more} values: they go on after the fault. */
    private static void awaitProgress(Queue<Long> returned, int more) {
        int now = returned.size();
        await().atMost(LONG_WAIT).until(() -> returned.size() >= now + more);
    }

    private static ZooKeeperCounterStore store() {
        CuratorFramework client = TestClients.zookeeper(ensemble.connectString(), 15_000,
                new ExponentialBackoffRetry(100, 10, 2_000));
        clients.add(client);
        return new ZooKeeperCounterStore(client, new ZooKeeperPaths("ringlock-failover"), LONG_WAIT);
    }
}
