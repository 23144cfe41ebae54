package dev.ringlock.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.DefaultCounterTemplate;
import dev.ringlock.testsupport.FaultProxy;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.contract.AbstractCounterContractTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The counter contract on {@link RedisCounterStore} against a real {@code redis-server}, plus what only Redis
 * has: the key layout, and counters that start again from 0 after a restart without persistence. Each client
 * has its own {@link LettuceConnectionFactory}, as a separate process would.
 */
class RedisCounterContractTests extends AbstractCounterContractTests {

    private static final RedisKeyspace KEYSPACE = new RedisKeyspace("ringlock-test");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static LettuceConnectionFactory adminFactory;
    private static StringRedisTemplate admin;

    private final Map<CounterStore, LettuceConnectionFactory> factories = new ConcurrentHashMap<>();

    @BeforeAll
    static void connectAdmin() {
        adminFactory = connectionFactory();
        admin = new StringRedisTemplate(adminFactory);
    }

    @AfterAll
    static void closeAdmin() {
        if (adminFactory != null) {
            adminFactory.destroy();
        }
    }

    private static LettuceConnectionFactory connectionFactory() {
        return TestClients.redis(redis.host(), redis.port());
    }

    @Override
    protected CounterStore createClient() {
        LettuceConnectionFactory factory = connectionFactory();
        RedisCounterStore store = new RedisCounterStore(factory, KEYSPACE);
        factories.put(store, factory);
        return store;
    }

    @Override
    protected void closeClient(CounterStore client) {
        LettuceConnectionFactory factory = factories.remove(client);
        if (factory != null) {
            factory.destroy();
        }
    }

    @Override
    protected void writeForeignValue(String name) {
        admin.opsForValue().set(KEYSPACE.counterKey(name), "12abc");
    }

    @Override
    protected String storedAt(String name) {
        return KEYSPACE.counterKey(name);
    }

    // ----------------------------------------------------------------- Redis only

    @Test
    void aCounterIsADecimalStringUnderThePrefixInItsOwnHashTag() {
        CounterTemplate template = newTemplate();
        String name = name("layout") + "{x}";
        template.addAndGet(name, 41);
        template.incrementAndGet(name);
        String key = "ringlock-test:counter:{" + name.replace("{", "%7B").replace("}", "%7D") + "}";
        assertThat(KEYSPACE.counterKey(name)).isEqualTo(key);
        assertThat(admin.opsForValue().get(key)).isEqualTo("42");
        admin.opsForValue().set(key, "-7");
        assertThat(template.incrementAndGet(name)).as("a value another program wrote in decimal").isEqualTo(-6);
    }

    @Test
    void anAdditionIsOneIncrbyOnTheServerAndNoScript() {
        CounterTemplate template = newTemplate();
        String name = name("incrby");
        template.get(name);
        RedisCommandStats before = RedisCommandStats.of(admin);
        template.addAndGet(name, 5);
        template.incrementAndGet(name);
        template.addAndGet(name, -2);
        RedisCommandStats after = RedisCommandStats.of(admin);
        assertThat(after.calls("incrby") - before.calls("incrby")).as("INCRBY commands").isEqualTo(3);
        assertThat(after.scripts() - before.scripts()).as("scripts").isZero();
        assertThat(template.get(name)).isEqualTo(4);
    }

    @Test
    void aKeyOfAnotherTypeIsAnEncodingError() {
        CounterTemplate template = newTemplate();
        String name = name("list");
        admin.opsForList().leftPush(KEYSPACE.counterKey(name), "1");
        assertThatExceptionOfType(CounterEncodingException.class).isThrownBy(() -> template.incrementAndGet(name))
                .withMessageContaining(KEYSPACE.counterKey(name));
        assertThatExceptionOfType(CounterEncodingException.class).isThrownBy(() -> template.compareAndSet(name, 0, 1));
        assertThatExceptionOfType(CounterEncodingException.class).isThrownBy(() -> template.get(name));
    }

    @Test
    void nonCanonicalDecimalsAreNotCounters() {
        CounterTemplate template = newTemplate();
        for (String stored : new String[] {"007", "+5", " 5", "-0", "9223372036854775808", "1e3"}) {
            String name = name("odd");
            admin.opsForValue().set(KEYSPACE.counterKey(name), stored);
            assertThatExceptionOfType(CounterEncodingException.class).as(stored).isThrownBy(() -> template.get(name));
            assertThatExceptionOfType(CounterEncodingException.class).as(stored)
                    .isThrownBy(() -> template.compareAndSet(name, 7, 8));
        }
    }

    /**
     * Redis keeps counters in memory; with persistence off (as this test server runs) a restart loses them and
     * they start again from 0. The README tells users to turn on AOF where counters must survive.
     */
    @Test
    void withoutPersistenceARestartBringsACounterBackToZero() {
        assumeTrue(redis.server().supportsFaults(), "server supports faults");
        CounterTemplate template = newTemplate();
        String name = name("restart");
        for (int i = 1; i <= 5; i++) {
            assertThat(template.incrementAndGet(name)).isEqualTo(i);
        }

        redis.server().restart();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(CounterBackendException.class)
                .untilAsserted(() -> assertThat(template.get(name)).isZero());
        assertThat(template.incrementAndGet(name)).as("counting again from 0").isEqualTo(1);
    }

    /**
     * An update whose answer does not come may still be applied (here, by a server that was frozen while the
     * command sat in its socket): the caller is told the outcome is unknown, not that it failed. A read that
     * fails is a plain backend failure.
     */
    @Test
    void anUpdateWithoutAnAnswerHasAnUnknownOutcome() {
        assumeTrue(redis.server().supportsFaults(), "server supports faults");
        LettuceConnectionFactory impatient = connectionFactory();
        try {
            CounterTemplate template = new DefaultCounterTemplate(new RedisCounterStore(impatient, KEYSPACE,
                    Duration.ofMillis(300)), null);
            String name = name("unanswered");
            template.get(name); // connected before the freeze

            redis.server().pause();
            try {
                assertThatExceptionOfType(CounterOutcomeUnknownException.class)
                        .isThrownBy(() -> template.incrementAndGet(name)).withMessageContaining("'" + name + "'");
                assertThatExceptionOfType(CounterBackendException.class).isThrownBy(() -> template.get(name))
                        .isNotInstanceOf(CounterOutcomeUnknownException.class);
            }
            finally {
                redis.server().resume();
            }

            // the increment sat in the frozen server's socket, and counted
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(CounterBackendException.class)
                    .untilAsserted(() -> assertThat(template.get(name)).isEqualTo(1));
        }
        finally {
            impatient.destroy();
        }
    }

    /**
     * A black-holed connection answers nothing and resets nothing, so only the store's own timeout ends a call:
     * the client's command timeout here is a minute (Lettuce's default), far past the test's patience.
     */
    @Test
    void aCallBehindABlackHoleEndsWithinTheCounterTimeoutNamingTheCounterAndTheBackend() {
        try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            LettuceConnectionFactory factory = TestClients.redis(proxy.host(), proxy.port());
            try {
                RedisCounterStore store = new RedisCounterStore(factory, KEYSPACE, Duration.ofMillis(500));
                store.afterPropertiesSet();
                CounterTemplate template = new DefaultCounterTemplate(store, null);
                String name = name("black-holed");
                assertThat(template.incrementAndGet(name)).isEqualTo(1);

                proxy.blackHole();
                CompletableFuture<Throwable> update = failureOf(() -> template.incrementAndGet(name));
                CompletableFuture<Throwable> read = failureOf(() -> template.get(name));
                await().atMost(Duration.ofSeconds(20)).until(() -> update.isDone() && read.isDone());
                assertThat(update.join()).isInstanceOf(CounterOutcomeUnknownException.class)
                        .hasMessageContaining("'" + name + "'").hasMessageContaining("redis")
                        .hasRootCauseInstanceOf(TimeoutException.class);
                assertThat(read.join()).isInstanceOf(CounterBackendException.class)
                        .isNotInstanceOf(CounterOutcomeUnknownException.class)
                        .hasMessageContaining("'" + name + "'").hasMessageContaining("redis")
                        .hasMessageContaining("did not answer within 500 ms");
                store.destroy();
            }
            finally {
                factory.destroy();
            }
        }
    }

    /** Runs {@code call} on another thread; the future ends with what it threw, or fails when it threw nothing. */
    private static CompletableFuture<Throwable> failureOf(Runnable call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                call.run();
            }
            catch (Throwable ex) {
                return ex;
            }
            throw new AssertionError("returned behind a black hole");
        });
    }
}
