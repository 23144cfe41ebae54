package dev.ringlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.counter.CounterContentionException;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.DefaultCounterTemplate;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import dev.ringlock.testsupport.contract.AbstractCounterContractTests;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The counter contract on {@link ZooKeeperCounterStore} against a real ZooKeeper server, plus what only
 * ZooKeeper has: the documented node encoding, the create-on-first-use race, write receipts, and the bound
 * on retries. Each client has its own {@link CuratorFramework}, as a separate process would.
 */
class ZooKeeperCounterContractTests extends AbstractCounterContractTests {

    private static final ZooKeeperPaths PATHS = new ZooKeeperPaths("ringlock-test");

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();

    private static CuratorFramework admin;

    private final Map<CounterStore, CuratorFramework> curators = new ConcurrentHashMap<>();

    @BeforeAll
    static void connectAdmin() {
        admin = curator();
    }

    @AfterAll
    static void closeAdmin() {
        if (admin != null) {
            admin.close();
        }
    }

    private static CuratorFramework curator() {
        return TestClients.zookeeper(zookeeper.connectString(), 15_000, new ExponentialBackoffRetry(100, 3));
    }

    @Override
    protected CounterStore createClient() {
        return createClient(Duration.ofSeconds(30));
    }

    private ZooKeeperCounterStore createClient(Duration maxRetryTime) {
        return createClient(maxRetryTime, UnaryOperator.identity());
    }

    /** A client whose versioned writes go through {@code setData}, which may lose their answers. */
    private ZooKeeperCounterStore createClient(UnaryOperator<CounterNodes.SetData> setData) {
        return createClient(Duration.ofSeconds(30), setData);
    }

    private ZooKeeperCounterStore createClient(Duration maxRetryTime, UnaryOperator<CounterNodes.SetData> setData) {
        CuratorFramework client = curator();
        ZooKeeperCounterStore store = new ZooKeeperCounterStore(client, PATHS, maxRetryTime, setData);
        curators.put(store, client);
        return store;
    }

    @Override
    protected void closeClient(CounterStore client) {
        CuratorFramework curator = curators.remove(client);
        if (curator != null) {
            curator.close();
        }
    }

    /** What Curator's DistributedAtomicLong would store: the long as 8 bytes, big-endian. */
    @Override
    protected void writeForeignValue(String name) throws Exception {
        admin.setData().forPath(PATHS.counterPath(name), new byte[] {0, 0, 0, 0, 0, 0, 0, 5});
    }

    @Override
    protected String storedAt(String name) {
        return PATHS.counterPath(name);
    }

    private static String data(String name) throws Exception {
        return new String(admin.getData().forPath(PATHS.counterPath(name)), StandardCharsets.UTF_8);
    }

    // ----------------------------------------------------------------- ZooKeeper only

    @Test
    void theNodeHoldsTheValueInDecimalOnItsFirstLineThenTheWriteReceipts() throws Exception {
        ZooKeeperCounterStore client = (ZooKeeperCounterStore) newClient();
        CounterTemplate template = template(client);
        String name = name("layout") + "/../x";
        template.addAndGet(name, 41);
        template.incrementAndGet(name);
        assertThat(PATHS.counterPath(name)).startsWith("/ringlock-test/counters/").doesNotContain("/../");
        String[] lines = data(name).split("\n");
        assertThat(lines[0]).isEqualTo("42");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith(client.writerId() + " ");

        admin.setData().forPath(PATHS.counterPath(name), "-7".getBytes(StandardCharsets.UTF_8));
        assertThat(template.get(name)).as("a value another program wrote in decimal").isEqualTo(-7);
        assertThat(template.incrementAndGet(name)).isEqualTo(-6);
    }

    @Test
    void receiptsKeepTheLastWriteOfEachRecentWriter() throws Exception {
        List<ZooKeeperCounterStore> writers = new ArrayList<>();
        String name = name("receipts");
        for (int i = 0; i < 3; i++) {
            ZooKeeperCounterStore writer = (ZooKeeperCounterStore) newClient();
            writers.add(writer);
            writer.incrementAndGet(name);
            writer.incrementAndGet(name);
        }
        String[] lines = data(name).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("6");
        for (int i = 0; i < 3; i++) {
            assertThat(lines[1 + i]).as("newest writer first").startsWith(writers.get(2 - i).writerId() + " ");
        }
    }

    @Test
    void clientsRacingToCreateACounterAllCount() throws Exception {
        int clientCount = 8;
        String name = name("first-use");
        List<CounterTemplate> templates = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            templates.add(newTemplate());
        }
        CyclicBarrier start = new CyclicBarrier(clientCount);
        ExecutorService threads = Executors.newFixedThreadPool(clientCount);
        try {
            List<Future<Long>> values = new ArrayList<>();
            for (CounterTemplate template : templates) {
                values.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return template.incrementAndGet(name);
                }));
            }
            List<Long> got = new ArrayList<>();
            for (Future<Long> value : values) {
                got.add(value.get(30, TimeUnit.SECONDS));
            }
            assertThat(got).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anUpdateThatKeepsLosingPastItsRetryTimeFailsNamingTheCounter() {
        String name = name("contended");
        // the retry time is over after the first attempt, so one lost race is enough
        ZooKeeperCounterStore impatient = register(createClient(Duration.ofNanos(1)));
        CounterTemplate template = new DefaultCounterTemplate(impatient, null);
        assertThat(template.incrementAndGet(name)).isEqualTo(1);
        // another client writes: the version the impatient client knows is now stale
        assertThat(newTemplate().incrementAndGet(name)).isEqualTo(2);
        assertThatExceptionOfType(CounterContentionException.class).isThrownBy(() -> template.incrementAndGet(name))
                .withMessageContaining(name).withMessageContaining("ringlock.counter.max-retry-time")
                .satisfies(ex -> {
                    assertThat(ex.name()).isEqualTo(name);
                    assertThat(ex.attempts()).isEqualTo(1);
                });
        assertThat(template.get(name)).as("the failed increment did not count").isEqualTo(2);
        assertThat(template.incrementAndGet(name)).as("the next attempt reads afresh").isEqualTo(3);
    }

    // ----------------------------------------------------------------- answers lost to a connection failure

    @Test
    void aWriteAppliedButWhoseAnswerWasLostCountsOnceAndReturnsItsValue() {
        AtomicBoolean losing = new AtomicBoolean();
        AtomicInteger lost = new AtomicInteger();
        ZooKeeperCounterStore client = register(createClient(real -> (path, data, version) -> {
            Stat stat = real.setData(path, data, version);
            if (losing.get() && lost.getAndIncrement() == 0) {
                // applied on the server, but the answer never arrives
                throw new KeeperException.ConnectionLossException();
            }
            return stat;
        }));
        String name = name("lost-after");
        assertThat(client.incrementAndGet(name)).isEqualTo(1);
        losing.set(true);
        assertThat(client.incrementAndGet(name)).as("the applied write's own value").isEqualTo(2);
        assertThat(lost).hasValue(1);
        assertThat(client.settledLostAnswers()).containsExactly(1, 0);
        assertThat(newTemplate().get(name)).as("counted once").isEqualTo(2);
    }

    @Test
    void aWriteLostBeforeItWasAppliedIsRetriedAndCountsOnce() {
        AtomicBoolean losing = new AtomicBoolean();
        AtomicInteger lost = new AtomicInteger();
        ZooKeeperCounterStore client = register(createClient(real -> (path, data, version) -> {
            if (losing.get() && lost.getAndIncrement() == 0) {
                throw new KeeperException.ConnectionLossException();
            }
            return real.setData(path, data, version);
        }));
        String name = name("lost-before");
        assertThat(client.incrementAndGet(name)).isEqualTo(1);
        losing.set(true);
        assertThat(client.incrementAndGet(name)).isEqualTo(2);
        assertThat(lost).as("lost once, then retried").hasValue(2);
        assertThat(client.settledLostAnswers()).containsExactly(0, 1);
        assertThat(newTemplate().get(name)).isEqualTo(2);
    }

    @Test
    void aLostAnswerWhoseReceiptMayHaveBeenPushedOutIsReportedAsUnknown() {
        String name = name("pushed-out");
        List<ZooKeeperCounterStore> others = new ArrayList<>();
        for (int i = 0; i < ZooKeeperCounterCodec.MAX_RECEIPTS; i++) {
            others.add((ZooKeeperCounterStore) newClient());
        }
        ZooKeeperCounterStore client = register(createClient(real -> (path, data, version) -> {
            real.setData(path, data, version);
            // before the answer is settled, as many other writers as there are receipts write the counter
            for (ZooKeeperCounterStore other : others) {
                other.incrementAndGet(name);
            }
            throw new KeeperException.ConnectionLossException();
        }));
        client.set(name, 0); // the node exists, so the next update is a setData
        assertThatExceptionOfType(CounterOutcomeUnknownException.class).isThrownBy(() -> client.incrementAndGet(name))
                .withMessageContaining(name).withMessageContaining("unknown");
        assertThat(newTemplate().get(name)).as("it was applied, but nobody can tell any more")
                .isEqualTo(ZooKeeperCounterCodec.MAX_RECEIPTS + 1);
    }
}
