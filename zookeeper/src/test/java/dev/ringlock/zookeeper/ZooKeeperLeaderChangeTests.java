package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperEnsembleExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a three-node ensemble, a lock outlives the election that follows the leader's death, its holder trusts
 * it again once reconnected, and fencing tokens ({@code czxid}) keep growing across the new leader's epoch;
 * and eight clients contending on locks and counters through the leader's death never see two valid holders,
 * a lost or a duplicated counter value, and all go on once a new leader is elected.
 */
@Tag("fault")
class ZooKeeperLeaderChangeTests {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static final ZooKeeperPaths PATHS = new ZooKeeperPaths("ringlock-failover");
    private static final String SHARED_COUNTER = "shared";

    static {
        // the test server's transaction log need not survive a power cut; without fsync it is much faster
        System.setProperty("zookeeper.forceSync", "no");
    }

    @RegisterExtension
    static final ZooKeeperEnsembleExtension ensemble = new ZooKeeperEnsembleExtension(3);

    private static ScheduledExecutorService scheduler;
    private static final List<CuratorFramework> clients = new ArrayList<>();
    private static final List<LockLostEvent> lost = new CopyOnWriteArrayList<>();
    /** Servers a test killed; started again after it, so that every test finds a full ensemble. */
    private final List<InstanceSpec> killed = new ArrayList<>();

    @BeforeAll
    static void startScheduler() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void closeClientsAndScheduler() {
        clients.forEach(CuratorFramework::close);
        scheduler.shutdownNow();
    }

    @AfterEach
    void restartKilledServers() throws Exception {
        for (InstanceSpec instance : killed) {
            ensemble.server().restartServer(instance);
            await().atMost(LONG_WAIT).ignoreExceptions()
                    .until(() -> EnsembleRoles.isIn(instance, "follower") || EnsembleRoles.isIn(instance, "leader"));
        }
        killed.clear();
        lost.clear();
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

        killLeader();

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

    @Test
    void eightContendingClientsKeepMutualExclusionAndCountEveryValueOnceThroughTheLeaderKill() throws Exception {
        int clientCount = 8;
        List<String> keys = List.of("contended-a", "contended-b", "contended-c");
        List<ContendingClient> contenders = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            CuratorFramework client = client();
            ZooKeeperLockProvider locks = provider(client);
            contenders.add(new ContendingClient(i, locks, new ZooKeeperCounterStore(client, PATHS, LONG_WAIT)));
        }
        SectionLog log = new SectionLog();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(clientCount);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ContendingClient contender : contenders) {
                running.add(threads.submit(() -> contender.run(keys, log, stop)));
            }
            await().atMost(LONG_WAIT).until(() -> contenders.stream().allMatch(c -> c.sections.get() >= 5));

            killLeader();
            long killedAt = log.next.get();

            // the election suspends every client; afterwards each one must lock and count again
            contenders.forEach(ContendingClient::markRecoveryStart);
            await().atMost(LONG_WAIT).untilAsserted(() -> assertThat(contenders)
                    .allSatisfy(c -> assertThat(c.recoveredSections() >= 3 && c.recoveredIncrements() >= 3)
                            .as("client %d locked and counted again after the leader died", c.id).isTrue()));
            stop.set(true);
            for (Future<?> thread : running) {
                thread.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(log.entries().stream().filter(e -> e.seq() > killedAt)).as("sections after the kill").isNotEmpty();
        }
        finally {
            stop.set(true);
            threads.shutdownNow();
        }

        Set<Long> lostTokens = lost.stream().map(LockLostEvent::fencingToken).collect(Collectors.toSet());
        log.assertMutualExclusion(lostTokens);

        // the counter shared by all clients: every value that was returned, once, and nothing else counted
        ZooKeeperCounterStore reader = contenders.get(0).counters;
        long[] values = contenders.stream().flatMap(c -> c.returned.stream()).mapToLong(Long::longValue).sorted().toArray();
        long finalValue = reader.get(SHARED_COUNTER);
        Map<String, Integer> failures = new HashMap<>();
        contenders.forEach(c -> c.failures.forEach((k, v) -> failures.merge(k, v.get(), Integer::sum)));
        assertThat(failures).as("failures that leave an increment's outcome open")
                .doesNotContainKey(CounterOutcomeUnknownException.class.getSimpleName());
        assertThat(values).as("returned values; failures %s", failures).isEqualTo(LongStream.rangeClosed(1, finalValue).toArray());
        // the counter inside each lock: the lock serialises its increments, so the log sees 1, 2, 3, ... per key
        for (String key : keys) {
            long[] inLock = log.entries().stream().filter(e -> e.key().equals(key) && e.counted() > 0)
                    .mapToLong(Section::counted).toArray();
            assertThat(inLock).as("in-lock counter of %s in section order", key)
                    .isEqualTo(LongStream.rangeClosed(1, reader.get(key)).toArray());
        }
        // no handle left registered: every section released or was told of its loss
        contenders.forEach(c -> await().atMost(LONG_WAIT).until(() -> c.locks.heldHandles() == 0));
    }

    private void killLeader() throws Exception {
        InstanceSpec leader = EnsembleRoles.leader(ensemble.server());
        ensemble.server().killServer(leader);
        killed.add(leader);
    }

    /** One simulated instance: its own Curator client, lock provider and counter store, on one thread. */
    private static final class ContendingClient {

        final int id;
        final ZooKeeperLockProvider locks;
        final ZooKeeperCounterStore counters;
        final Queue<Long> returned = new ConcurrentLinkedQueue<>();
        final AtomicInteger sections = new AtomicInteger();
        final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        private volatile int sectionsAtRecovery = Integer.MAX_VALUE;
        private volatile int incrementsAtRecovery = Integer.MAX_VALUE;

        ContendingClient(int id, ZooKeeperLockProvider locks, ZooKeeperCounterStore counters) {
            this.id = id;
            this.locks = locks;
            this.counters = counters;
        }

        void markRecoveryStart() {
            sectionsAtRecovery = sections.get();
            incrementsAtRecovery = returned.size();
        }

        int recoveredSections() {
            return sections.get() - sectionsAtRecovery;
        }

        int recoveredIncrements() {
            return returned.size() - incrementsAtRecovery;
        }

        Void run(List<String> keys, SectionLog log, AtomicBoolean stop) throws InterruptedException {
            for (int round = id; !stop.get(); round++) {
                String key = keys.get(round % keys.size());
                try {
                    Optional<LockHandle> acquired = locks.tryAcquire(new LockRequest(key, Duration.ofSeconds(2),
                            Duration.ofSeconds(30)));
                    if (acquired.isPresent()) {
                        try (LockHandle handle = acquired.get()) {
                            long enteredAt = log.enter();
                            // the protected work: an increment that only a valid holder makes
                            long counted = handle.isValid() ? increment(key) : 0;
                            log.exit(enteredAt, id, handle, counted);
                            sections.incrementAndGet();
                        }
                    }
                }
                catch (LockBackendException ex) {
                    failed(ex);
                }
                try {
                    returned.add(counters.incrementAndGet(SHARED_COUNTER));
                }
                catch (CounterBackendException ex) {
                    failed(ex);
                }
            }
            return null;
        }

        private long increment(String key) {
            try {
                return counters.incrementAndGet(key);
            }
            catch (CounterBackendException ex) {
                failed(ex);
                return 0;
            }
        }

        private void failed(RuntimeException ex) {
            failures.computeIfAbsent(ex.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** A locked section as the shared log saw it: entered and left under one global order. */
    private record Section(long seq, long exitSeq, int client, String key, long token, boolean validAtExit,
            long counted) {
    }

    /**
     * The log every client writes: a section's entry and exit numbers come from one counter taken while the lock
     * is held, so for one key they are in real time order if the lock excludes, and overlap if it does not.
     */
    private static final class SectionLog {

        final AtomicLong next = new AtomicLong();
        private final Queue<Section> sections = new ConcurrentLinkedQueue<>();

        /** Called first thing inside a section. */
        long enter() {
            return next.incrementAndGet();
        }

        /** Called last thing inside a section, before the release. */
        void exit(long enteredAt, int client, LockHandle handle, long counted) {
            sections.add(new Section(enteredAt, next.incrementAndGet(), client, handle.key(), handle.fencingToken(),
                    handle.isValid(), counted));
        }

        List<Section> entries() {
            List<Section> all = new ArrayList<>(sections);
            all.sort(Comparator.comparingLong(Section::seq));
            return all;
        }

        /**
         * Per key: fencing tokens strictly increase in entry order, and a section starts only after the previous
         * one ended, unless the previous holder was told it had lost the lock (it was no longer valid).
         */
        void assertMutualExclusion(Set<Long> lostTokens) {
            Map<String, Section> previous = new HashMap<>();
            for (Section section : entries()) {
                Section before = previous.put(section.key(), section);
                if (before == null) {
                    continue;
                }
                assertThat(section.token()).as("token of %s after %s", section, before).isGreaterThan(before.token());
                if (before.exitSeq() > section.seq()) {
                    assertThat(lostTokens).as("%s overlaps %s, whose holder was not told of a loss", section, before)
                            .contains(before.token());
                }
            }
            assertThat(previous).as("keys locked").hasSizeGreaterThan(1);
        }
    }

    private static LockHandle acquire(ZooKeeperLockProvider provider, String key) throws InterruptedException {
        Optional<LockHandle> handle = provider.tryAcquire(new LockRequest(key, LONG_WAIT, Duration.ofSeconds(30)));
        assertThat(handle).as("lock '%s' within %s", key, LONG_WAIT).isPresent();
        return handle.get();
    }

    private static ZooKeeperLockProvider provider() {
        return provider(client());
    }

    private static ZooKeeperLockProvider provider(CuratorFramework client) {
        ZooKeeperLockProvider provider = new ZooKeeperLockProvider(client, PATHS, scheduler, lost::add);
        provider.afterPropertiesSet();
        return provider;
    }

    private static CuratorFramework client() {
        CuratorFramework client = TestClients.zookeeper(ensemble.connectString(), 15_000,
                new ExponentialBackoffRetry(100, 10, 2_000));
        clients.add(client);
        return client;
    }
}
