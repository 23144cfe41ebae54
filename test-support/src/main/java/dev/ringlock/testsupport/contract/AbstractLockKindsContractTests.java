package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.MultiLockHandle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of the lock kinds beyond the exclusive lock, for a backend that supports them: READ/WRITE locks
 * (writers exclude everyone, readers share, a waiting writer holds back new readers), permit locks (at most N
 * holders, tokens unique and increasing in entry order) and several keys at once (all or none, no deadlock between
 * overlapping key sets, rollback of a partial acquisition). Claims about concurrency are checked on an outside log
 * of entries and exits. A backend runs it with its {@link LockProviderFixture}, as {@link AbstractLockContractTests}.
 */
public abstract class AbstractLockKindsContractTests extends AbstractLockProviderTests {

    private record Event(boolean enter, boolean writer, long token, long sequence) {
    }

    /** One permit holding: when it began to ask, its token, and when its release had ended. */
    private record Holding(long askedAt, long token, long releasedAt) {
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }

    // ----------------------------------------------------------------- READ / WRITE

    @Test
    void readersShareAKeyAndWritersExcludeEveryone() throws Exception {
        String key = key("rw");
        int clientCount = 3;
        int threadsPerClient = 3;
        int perThread = 60;
        AtomicInteger sequence = new AtomicInteger();
        List<Event> log = Collections.synchronizedList(new ArrayList<>());
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        // the first two readers meet inside, so the log shows readers overlapping whatever the scheduling; writers
        // start after that, since a waiting writer would (rightly) keep the second reader out
        CountDownLatch readersMeet = new CountDownLatch(2);
        AtomicInteger meetingReaders = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
            DefaultLockTemplate template = template(newClient());
            for (int t = 0; t < threadsPerClient; t++) {
                boolean writerThread = t == 0;
                threads.add(start("rw-c" + c + "-t" + t, () -> {
                    try {
                        if (writerThread) {
                            assertThat(readersMeet.await(30, TimeUnit.SECONDS)).as("two readers met").isTrue();
                        }
                        for (int i = 0; i < perThread; i++) {
                            boolean writer = writerThread && i % 2 == 0;
                            try (LockHandle handle = (writer ? template.tryAcquire(key, WAIT)
                                    : template.tryAcquireRead(key, WAIT)).orElseThrow()) {
                                log.add(new Event(true, writer, handle.fencingToken(), sequence.incrementAndGet()));
                                if (!writer && meetingReaders.getAndIncrement() < 2) {
                                    readersMeet.countDown();
                                    assertThat(readersMeet.await(30, TimeUnit.SECONDS)).as("a second reader came in")
                                            .isTrue();
                                }
                                Thread.yield();
                                log.add(new Event(false, writer, handle.fencingToken(), sequence.incrementAndGet()));
                            }
                        }
                    }
                    catch (Throwable ex) {
                        failures.add(ex);
                    }
                }));
            }
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        assertThat(failures).isEmpty();
        List<Event> events;
        synchronized (log) {
            events = new ArrayList<>(log);
        }
        int readersInside = 0;
        int writersInside = 0;
        int mostReaders = 0;
        long lastWriterExitToken = 0;
        for (Event event : events) {
            if (event.enter()) {
                if (event.writer()) {
                    assertThat(readersInside + writersInside).as("holders when a writer entered at %s", event)
                            .isZero();
                    writersInside++;
                }
                else {
                    assertThat(writersInside).as("writers when a reader entered at %s", event).isZero();
                    readersInside++;
                    mostReaders = Math.max(mostReaders, readersInside);
                }
                assertThat(event.token()).as("token after the last writer's").isGreaterThan(lastWriterExitToken);
            }
            else if (event.writer()) {
                writersInside--;
                lastWriterExitToken = event.token();
            }
            else {
                readersInside--;
            }
        }
        assertThat(mostReaders).as("readers inside at once").isGreaterThan(1);
    }

    @Test
    void aWaitingWriterHoldsBackNewReadersAndThenGetsALargerToken() throws Exception {
        String key = key("fair");
        DefaultLockTemplate readers = template(newClient());
        DefaultLockTemplate writers = template(newClient());
        LockHandle firstReader = readers.tryAcquireRead(key, Duration.ZERO).orElseThrow();
        CountDownLatch writerIn = new CountDownLatch(1);
        AtomicInteger writerToken = new AtomicInteger();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread writer = start("fair-writer", () -> {
            try (LockHandle handle = writers.tryAcquire(key, WAIT).orElseThrow()) {
                writerToken.set(handle.fencingToken() > firstReader.fencingToken() ? 1 : -1);
                writerIn.countDown();
            }
            catch (Throwable ex) {
                failures.add(ex);
            }
        });
        // once the writer waits, a new reader is refused although only a reader holds the key
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Optional<LockHandle> late = readers.tryAcquireRead(key, Duration.ZERO);
            late.ifPresent(LockHandle::close);
            assertThat(late).as("a reader arriving after a waiting writer").isEmpty();
        });
        assertThat(writerIn.getCount()).as("writer still waiting for the first reader").isEqualTo(1);
        firstReader.close();
        assertThat(writerIn.await(30, TimeUnit.SECONDS)).as("writer came in").isTrue();
        writer.join();
        assertThat(failures).isEmpty();
        assertThat(writerToken.get()).as("writer's token larger than the reader's").isEqualTo(1);
        readers.tryAcquireRead(key, Duration.ZERO).orElseThrow().close();
    }

    // ----------------------------------------------------------------- permits

    @Test
    void neverMoreThanNPermitHoldersAndNIsReachedWithTokensIncreasingInEntryOrder() throws Exception {
        String key = key("permits");
        int permits = 3;
        int clientCount = 4;
        int threadsPerClient = 2;
        int perThread = 40;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger sequence = new AtomicInteger();
        CountDownLatch fullHouse = new CountDownLatch(permits);
        AtomicInteger firstHolders = new AtomicInteger();
        Queue<Holding> holdings = new ConcurrentLinkedQueue<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
            DefaultLockTemplate template = template(newClient());
            for (int t = 0; t < threadsPerClient; t++) {
                threads.add(start("permit-c" + c + "-t" + t, () -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            long askedAt = sequence.incrementAndGet();
                            long token;
                            try (LockHandle handle = template.tryAcquirePermit(key, permits, WAIT).orElseThrow()) {
                                token = handle.fencingToken();
                                int now = inside.incrementAndGet();
                                most.accumulateAndGet(now, Math::max);
                                assertThat(now).as("permit holders inside").isLessThanOrEqualTo(permits);
                                if (firstHolders.getAndIncrement() < permits) {
                                    // the first N wait for each other: N holders at once, under any scheduling
                                    fullHouse.countDown();
                                    assertThat(fullHouse.await(30, TimeUnit.SECONDS)).as("N holders").isTrue();
                                }
                                Thread.yield();
                                inside.decrementAndGet();
                            }
                            holdings.add(new Holding(askedAt, token, sequence.incrementAndGet()));
                        }
                    }
                    catch (Throwable ex) {
                        failures.add(ex);
                    }
                }));
            }
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(most.get()).as("most permit holders at once").isEqualTo(permits);
        List<Long> tokens = holdings.stream().map(Holding::token).toList();
        assertThat(new HashSet<>(tokens)).as("unique tokens").hasSize(clientCount * threadsPerClient * perThread);
        // a holder that began to ask after another's release had ended has the larger token
        List<Holding> byRelease = holdings.stream().sorted(Comparator.comparingLong(Holding::releasedAt)).toList();
        List<Holding> byAsk = holdings.stream().sorted(Comparator.comparingLong(Holding::askedAt)).toList();
        int released = 0;
        long largestReleased = 0;
        for (Holding holding : byAsk) {
            while (released < byRelease.size() && byRelease.get(released).releasedAt() < holding.askedAt()) {
                largestReleased = Math.max(largestReleased, byRelease.get(released++).token());
            }
            assertThat(holding.token()).as("token of %s, asked after releases up to token %s", holding, largestReleased)
                    .isGreaterThan(largestReleased);
        }
    }

    @Test
    void oneKeyWithTwoPermitCountsIsRefusedNamingTheKey() {
        String key = key("counts");
        DefaultLockTemplate template = template(newClient());
        try (LockHandle handle = template.tryAcquirePermit(key, 2, Duration.ZERO).orElseThrow()) {
            assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquirePermit(key, 3, Duration.ZERO))
                    .withMessageContaining(key);
            assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquire(key, Duration.ZERO))
                    .withMessageContaining(key);
        }
    }

    @Test
    void badPermitsAreRefusedNamingTheArgument() {
        DefaultLockTemplate template = template(newClient());
        assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquirePermit(key("zero"), 0, Duration.ZERO))
                .withMessageContaining("'permits'");
    }

    // ----------------------------------------------------------------- several keys

    @Test
    void overlappingKeySetsInOppositeOrdersFinishWithExclusionPerKey() throws Exception {
        List<String> keys = List.of(key("m1"), key("m2"), key("m3"));
        List<String> reversed = new ArrayList<>(keys);
        Collections.reverse(reversed);
        AtomicInteger[] inside = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            DefaultLockTemplate template = template(newClient());
            List<String> mine = c % 2 == 0 ? keys : reversed;
            List<String> set = c % 2 == 0 ? mine.subList(0, 3) : mine.subList(0, 2);
            threads.add(start("multi-c" + c, () -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        try (LockHandle handle = template.tryAcquireAll(set, WAIT).orElseThrow()) {
                            assertThat(handle).isInstanceOf(MultiLockHandle.class);
                            for (String k : set) {
                                assertThat(inside[keys.indexOf(k)].incrementAndGet()).as("holders of %s", k)
                                        .isEqualTo(1);
                            }
                            Thread.yield();
                            for (String k : set) {
                                inside[keys.indexOf(k)].decrementAndGet();
                            }
                        }
                    }
                }
                catch (Throwable ex) {
                    failures.add(ex);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aPartialAcquisitionIsRolledBack() {
        String first = key("a");
        String second = key("b");
        DefaultLockTemplate holder = template(newClient());
        DefaultLockTemplate other = template(newClient());
        // "…:a:…" sorts before "…:b:…": the first key is taken, then given back when the second is not had
        try (LockHandle held = holder.tryAcquire(second, Duration.ZERO).orElseThrow()) {
            assertThat(other.tryAcquireAll(List.of(first, second, first), Duration.ofMillis(200))).isEmpty();
            assertFree(newClient(), first);
        }
        try (LockHandle all = other.tryAcquireAll(Arrays.asList(second, first, second), Duration.ZERO).orElseThrow()) {
            MultiLockHandle multi = (MultiLockHandle) all;
            assertThat(multi.handles()).extracting(LockHandle::key).containsExactly(first, second);
            assertThat(multi.isValid()).isTrue();
            assertHeldElsewhere(newClient(), first);
            assertHeldElsewhere(newClient(), second);
        }
        assertFree(newClient(), first);
        assertFree(newClient(), second);
    }

    @Test
    void emptyOrNullKeysAreRefused() {
        DefaultLockTemplate template = template(newClient());
        assertThatIllegalArgumentException().isThrownBy(() -> template.tryAcquireAll(List.of(), Duration.ZERO))
                .withMessageContaining("'keys'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> template.tryAcquireAll(Arrays.asList(key("x"), null), Duration.ZERO))
                .withMessageContaining("'keys'");
    }
}
