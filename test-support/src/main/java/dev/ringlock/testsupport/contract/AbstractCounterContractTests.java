package dev.ringlock.testsupport.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.counter.CounterNames;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.DefaultCounterTemplate;
import dev.ringlock.counter.Sequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every {@link CounterStore} must pass, through {@link DefaultCounterTemplate}, run against real
 * servers by one subclass per backend.
 * <p>
 * Each client from {@link #newClient()} stands for a separate process: its own connection factory or Curator
 * client. Claims are checked from the outside: every value any client got back, and the final value.
 */
public abstract class AbstractCounterContractTests {

    private static ExecutorService prefetch;

    private final List<CounterStore> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private String testName = "test";

    // ----------------------------------------------------------------- backend hooks

    /** A new client standing for a separate process. */
    protected abstract CounterStore createClient();

    /** Closes a client made by {@link #createClient}. */
    protected abstract void closeClient(CounterStore client) throws Exception;

    /** Whether {@link #writeForeignValue} works: a backend where other programs can write the counter's key. */
    protected boolean storesValuesOutsideTheJvm() {
        return true;
    }

    /** Writes a value that is not a counter where the counter {@code name} is stored, as another program might. */
    protected void writeForeignValue(String name) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no foreign values");
    }

    /** The key or path at which the counter {@code name} is stored, as named in exceptions. */
    protected String storedAt(String name) {
        return name;
    }

    // ----------------------------------------------------------------- helpers

    @BeforeAll
    static void startPrefetchPool() {
        prefetch = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopPrefetchPool() {
        prefetch.shutdownNow();
    }

    @BeforeEach
    void rememberTestName(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    @AfterEach
    void closeClients() throws Exception {
        for (CounterStore client : clients) {
            closeClient(client);
        }
        clients.clear();
    }

    protected final CounterStore newClient() {
        return register(createClient());
    }

    /** Closes {@code client} after the test, as {@link #newClient()} does; for clients a subclass made otherwise. */
    protected final <T extends CounterStore> T register(T client) {
        clients.add(client);
        return client;
    }

    protected final CounterTemplate template(CounterStore client) {
        return new DefaultCounterTemplate(client, prefetch);
    }

    protected final CounterTemplate newTemplate() {
        return template(newClient());
    }

    /** A counter name of its own for each call, so tests never share state. */
    protected final String name(String suffix) {
        return testName + "-" + suffix + "-" + names.incrementAndGet() + "-" + System.nanoTime();
    }

    // ----------------------------------------------------------------- the contract

    @Test
    void concurrentIncrementsFromManyClientsReturnExactlyOneToN() throws Exception {
        int clientCount = 8;
        int threadsPerClient = 4;
        int total = 20_000;
        int perThread = total / (clientCount * threadsPerClient);
        String name = name("hits");
        List<CounterTemplate> templates = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            templates.add(newTemplate());
        }
        ExecutorService threads = Executors.newFixedThreadPool(clientCount * threadsPerClient);
        try {
            CyclicBarrier start = new CyclicBarrier(clientCount * threadsPerClient);
            List<Future<long[]>> results = new ArrayList<>();
            for (CounterTemplate template : templates) {
                for (int t = 0; t < threadsPerClient; t++) {
                    results.add(threads.submit(() -> {
                        long[] values = new long[perThread];
                        start.await(10, TimeUnit.SECONDS);
                        for (int i = 0; i < perThread; i++) {
                            values[i] = template.incrementAndGet(name);
                        }
                        return values;
                    }));
                }
            }
            long[] all = new long[0];
            for (Future<long[]> result : results) {
                long[] values = result.get(2, TimeUnit.MINUTES);
                for (int i = 1; i < values.length; i++) {
                    assertThat(values[i]).as("values one thread got, in order").isGreaterThan(values[i - 1]);
                }
                int at = all.length;
                all = Arrays.copyOf(all, at + values.length);
                System.arraycopy(values, 0, all, at, values.length);
            }
            Arrays.sort(all);
            assertThat(all).as("every value returned, sorted").isEqualTo(LongStream.rangeClosed(1, total).toArray());
            assertThat(newTemplate().get(name)).isEqualTo(total);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void compareAndSetUnderContentionHasExactlyOneWinnerPerRound() throws Exception {
        int clientCount = 8;
        int rounds = 40;
        String name = name("cas");
        List<CounterTemplate> templates = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            templates.add(newTemplate());
        }
        AtomicInteger[] winners = new AtomicInteger[rounds];
        Arrays.setAll(winners, i -> new AtomicInteger());
        CyclicBarrier round = new CyclicBarrier(clientCount);
        ExecutorService threads = Executors.newFixedThreadPool(clientCount);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (CounterTemplate template : templates) {
                done.add(threads.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        round.await(30, TimeUnit.SECONDS);
                        if (template.compareAndSet(name, r, r + 1)) {
                            winners[r].incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(winners).as("winners of each round").allSatisfy(w -> assertThat(w.get()).isEqualTo(1));
        assertThat(newTemplate().get(name)).isEqualTo(rounds);
    }

    @Test
    void sequencesOfFourClientsNeverRepeatAnId() throws Exception {
        int clientCount = 4;
        int threadsPerClient = 2;
        int total = 40_000;
        int perThread = total / (clientCount * threadsPerClient);
        String name = name("orders");
        ExecutorService threads = Executors.newFixedThreadPool(clientCount * threadsPerClient);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < clientCount; c++) {
                // blocks of different sizes, with and without prefetching, drawing from one counter
                CounterStore client = newClient();
                Sequence sequence = c % 2 == 0 ? template(client).sequence(name, 100 + c)
                        : new DefaultCounterTemplate(client, null).sequence(name, 7 + c);
                for (int t = 0; t < threadsPerClient; t++) {
                    results.add(threads.submit(() -> {
                        long[] ids = new long[perThread];
                        for (int i = 0; i < perThread; i++) {
                            ids[i] = sequence.next();
                        }
                        return ids;
                    }));
                }
            }
            Set<Long> seen = new HashSet<>();
            for (Future<long[]> result : results) {
                long[] ids = result.get(2, TimeUnit.MINUTES);
                for (int i = 0; i < ids.length; i++) {
                    if (i > 0) {
                        assertThat(ids[i]).as("ids one thread drew, in order").isGreaterThan(ids[i - 1]);
                    }
                    assertThat(seen.add(ids[i])).as("id %d drawn once", ids[i]).isTrue();
                }
            }
            assertThat(seen).hasSize(total).allSatisfy(id -> assertThat(id).isPositive());
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aSequenceHandsOutItsBlocksInOrder() {
        CounterTemplate template = newTemplate();
        String name = name("blocks");
        template.set(name, 1000);
        Sequence sequence = new DefaultCounterTemplate(newClient(), null).sequence(name, 3);
        assertThat(List.of(sequence.next(), sequence.next(), sequence.next(), sequence.next()))
                .containsExactly(1001L, 1002L, 1003L, 1004L);
        assertThat(template.get(name)).as("two blocks reserved").isEqualTo(1006);
        assertThat(sequence.name()).isEqualTo(name);
        assertThat(sequence.blockSize()).isEqualTo(3);
    }

    @Test
    void basicOperations() {
        CounterTemplate template = newTemplate();
        CounterTemplate other = newTemplate();
        String name = name("basic");
        assertThat(template.get(name)).as("never written").isZero();
        assertThat(template.addAndGet(name, 5)).isEqualTo(5);
        assertThat(other.addAndGet(name, -8)).isEqualTo(-3);
        assertThat(template.incrementAndGet(name)).isEqualTo(-2);
        assertThat(other.get(name)).isEqualTo(-2);
        template.set(name, Long.MIN_VALUE);
        assertThat(other.get(name)).isEqualTo(Long.MIN_VALUE);
        assertThat(other.compareAndSet(name, 7, 8)).isFalse();
        assertThat(other.compareAndSet(name, Long.MIN_VALUE, Long.MAX_VALUE)).isTrue();
        assertThat(template.get(name)).isEqualTo(Long.MAX_VALUE);
        template.delete(name);
        assertThat(other.get(name)).as("deleted").isZero();
        other.delete(name);
        assertThat(other.compareAndSet(name, 0, 42)).as("a missing counter is 0").isTrue();
        assertThat(template.incrementAndGet(name)).isEqualTo(43);
    }

    @Test
    void namesAreKeptApartWhateverTheirCharacters() {
        CounterTemplate template = newTemplate();
        String base = name("chars");
        List<String> names = List.of(base + "{a}", base + "{a", base + "%7Ba%7D", base + "/a", base + "/../a",
                base + " a", base + "ä€");
        for (int i = 0; i < names.size(); i++) {
            template.addAndGet(names.get(i), i + 1);
        }
        CounterTemplate other = newTemplate();
        for (int i = 0; i < names.size(); i++) {
            assertThat(other.get(names.get(i))).as(names.get(i)).isEqualTo(i + 1);
        }
    }

    @Test
    void overflowIsAnArithmeticExceptionNeverAWrap() {
        CounterTemplate template = newTemplate();
        String up = name("up");
        template.set(up, Long.MAX_VALUE - 1);
        assertThat(template.incrementAndGet(up)).isEqualTo(Long.MAX_VALUE);
        assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> template.incrementAndGet(up))
                .withMessageContaining(up);
        assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> template.addAndGet(up, Long.MAX_VALUE));
        assertThat(template.get(up)).as("left as it was").isEqualTo(Long.MAX_VALUE);

        String down = name("down");
        template.set(down, Long.MIN_VALUE + 1);
        assertThat(template.addAndGet(down, -1)).isEqualTo(Long.MIN_VALUE);
        assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> template.addAndGet(down, -1))
                .withMessageContaining(down);
        assertThat(template.get(down)).isEqualTo(Long.MIN_VALUE);

        String ids = name("ids");
        template.set(ids, Long.MAX_VALUE - 5);
        Sequence sequence = template.sequence(ids, 10);
        assertThatExceptionOfType(ArithmeticException.class).isThrownBy(sequence::next).withMessageContaining(ids);
        assertThat(template.get(ids)).isEqualTo(Long.MAX_VALUE - 5);
        Sequence small = new DefaultCounterTemplate(newClient(), null).sequence(ids, 5);
        assertThat(LongStream.generate(small::next).limit(5).toArray())
                .containsExactly(LongStream.rangeClosed(Long.MAX_VALUE - 4, Long.MAX_VALUE).toArray());
        assertThatExceptionOfType(ArithmeticException.class).isThrownBy(small::next);
    }

    @Test
    void badInputIsRefusedNamingTheArgument() {
        CounterTemplate template = newTemplate();
        for (String bad : Arrays.asList(null, "", "  ", "x".repeat(CounterNames.MAX_LENGTH + 1))) {
            assertThatIllegalArgumentException().isThrownBy(() -> template.incrementAndGet(bad)).withMessageContaining("'name'");
            assertThatIllegalArgumentException().isThrownBy(() -> template.addAndGet(bad, 2)).withMessageContaining("'name'");
            assertThatIllegalArgumentException().isThrownBy(() -> template.get(bad)).withMessageContaining("'name'");
            assertThatIllegalArgumentException().isThrownBy(() -> template.compareAndSet(bad, 0, 1))
                    .withMessageContaining("'name'");
            assertThatIllegalArgumentException().isThrownBy(() -> template.set(bad, 1)).withMessageContaining("'name'");
            assertThatIllegalArgumentException().isThrownBy(() -> template.delete(bad)).withMessageContaining("'name'");
            assertThatIllegalArgumentException().isThrownBy(() -> template.sequence(bad, 10)).withMessageContaining("'name'");
        }
        for (int blockSize : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatIllegalArgumentException().isThrownBy(() -> template.sequence(name("ok"), blockSize))
                    .withMessageContaining("'blockSize'").withMessageContaining(Integer.toString(blockSize));
        }
        String longest = "x".repeat(CounterNames.MAX_LENGTH - 20) + names.incrementAndGet();
        assertThat(template.incrementAndGet(longest)).isEqualTo(1);
    }

    @Test
    void aValueWrittenBySomeoneElseIsAnErrorNamingTheKeyNeverAWrongNumber() throws Exception {
        assumeTrue(storesValuesOutsideTheJvm(), "backend stores values where other programs can write");
        CounterTemplate template = newTemplate();
        String name = name("foreign");
        template.set(name, 5);
        writeForeignValue(name);
        String key = storedAt(name);
        List<Runnable> operations = List.of(() -> template.get(name), () -> template.incrementAndGet(name),
                () -> template.addAndGet(name, 3), () -> template.compareAndSet(name, 5, 6),
                () -> template.sequence(name, 10).next());
        for (Runnable operation : operations) {
            assertThatExceptionOfType(CounterEncodingException.class).isThrownBy(operation::run)
                    .withMessageContaining(key)
                    .satisfies(ex -> {
                        assertThat(ex.name()).isEqualTo(name);
                        assertThat(ex.key()).isEqualTo(key);
                    });
        }
        template.set(name, 9);
        assertThat(template.incrementAndGet(name)).as("set repairs the counter").isEqualTo(10);
    }

    @Test
    void aCounterIsSharedByAllClientsAndIndependentOfOthers() {
        CounterTemplate a = newTemplate();
        CounterTemplate b = newTemplate();
        String first = name("first");
        String second = name("second");
        a.incrementAndGet(first);
        b.incrementAndGet(first);
        b.addAndGet(second, 10);
        assertThat(a.get(first)).isEqualTo(2);
        assertThat(a.get(second)).isEqualTo(10);
        assertThat(Collections.nCopies(3, 0).stream().map(i -> a.incrementAndGet(first)).toList()).containsExactly(3L, 4L, 5L);
    }
}
