package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockNotAcquiredException;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.testsupport.RedisServerExtension;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reconnect delay of the Lettuce client Spring Boot builds when a Ringlock feature runs on Redis: bounded by
 * {@code ringlock.redis.reconnect.*}, left to the application's own {@code ClientResources} or customizer, and what
 * it is for: after a 20 s outage, locks and counters work again within 3 s of Redis coming back, where Lettuce's
 * own delay (doubling up to 30 s) could keep them failing for up to half a minute more.
 */
class RedisReconnectTests {

    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final Duration USABLE_WITHIN = Duration.ofSeconds(3);
    /** Lettuce's reconnect delay at an attempt far into an outage: its cap, 30 s. */
    private static final Duration LETTUCE_DEFAULT_CAP = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class, LockAutoConfiguration.class,
                    CounterAutoConfiguration.class, DataRedisAutoConfiguration.class))
            .withPropertyValues("ringlock.backend=redis", "ringlock.ring.enabled=false",
                    "ringlock.key-prefix=reconnect-test", "ringlock.counter.timeout=1s")
            .withPropertyValues(redis.springProperties());

    @Test
    void theClientSpringBootBuildsWaitsAtMostTheMaximumBetweenReconnectionAttempts() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RedisReconnectDelayCustomizer.class);
            assertDelaysBetween(reconnectDelay(context), Duration.ofMillis(100), Duration.ofSeconds(2));
        });
    }

    @Test
    void theDelaysFollowTheProperties() {
        runner.withPropertyValues("ringlock.redis.reconnect.min-delay=20ms", "ringlock.redis.reconnect.max-delay=300ms")
                .run(context -> {
                    Delay delay = reconnectDelay(context);
                    assertDelaysBetween(delay, Duration.ofMillis(20), Duration.ofMillis(300));
                    // far into an outage the attempts are jittered between half the maximum and the maximum
                    assertThat(delay.createDelay(40)).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
                });
    }

    @Test
    void aCustomizerOfTheApplicationRunsAfterRinglocksAndItsDelayWins() {
        runner.withUserConfiguration(ConstantDelayCustomizer.class).run(context -> {
            assertThat(context).hasSingleBean(RedisReconnectDelayCustomizer.class);
            assertThat(reconnectDelay(context).createDelay(1)).isEqualTo(ConstantDelayCustomizer.DELAY);
            assertThat(reconnectDelay(context).createDelay(40)).isEqualTo(ConstantDelayCustomizer.DELAY);
        });
    }

    @Test
    void clientResourcesOfTheApplicationKeepTheirOwnDelay() {
        runner.withUserConfiguration(OwnClientResources.class).run(context -> {
            LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
            assertThat(factory.getClientConfiguration().getClientResources())
                    .containsSame(context.getBean(ClientResources.class));
            assertThat(reconnectDelay(context).createDelay(40)).isEqualTo(OwnClientResources.DELAY);
        });
    }

    @Test
    void withoutAFeatureOnRedisLettuceKeepsItsOwnDelay() {
        runner.withPropertyValues("ringlock.backend=local").run(context -> {
            assertThat(context).doesNotHaveBean(RedisReconnectDelayCustomizer.class);
            assertThat(reconnectDelay(context).createDelay(40)).isEqualTo(LETTUCE_DEFAULT_CAP);
        });
    }

    @Test
    void aMinimumAboveTheMaximumFailsAtStartUpNamingBothProperties() {
        runner.withPropertyValues("ringlock.redis.reconnect.min-delay=3s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure().rootCause()
                    .hasMessageContaining("'ringlock.redis.reconnect.min-delay' (PT3S)")
                    .hasMessageContaining("'ringlock.redis.reconnect.max-delay' (PT2S)");
        });
    }

    /**
     * Redis is stopped for 20 s, while every lock and counter call fails, and started again on the same port
     * (without its data). The clients' next reconnection attempt comes at most the maximum delay (2 s) later,
     * so the first lock and the first increment after the restart succeed within 3 s of it.
     */
    @Test
    @Tag("fault")
    void afterATwentySecondOutageLocksAndCountersWorkWithinThreeSecondsOfRedisComingBack() {
        assumeTrue(redis.server().supportsFaults(), "the server can be stopped and restarted");
        runner.run(context -> {
            LockTemplate locks = context.getBean(LockTemplate.class);
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            try (LockHandle held = locks.acquire("before", Duration.ofSeconds(5))) {
                assertThat(held.isValid()).isTrue();
            }
            assertThat(counters.incrementAndGet("visits")).isEqualTo(1);

            redis.server().stop();
            // every lock and counter call fails, throughout the outage
            await("Redis away for " + OUTAGE).during(OUTAGE).atMost(OUTAGE.plusSeconds(15))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> tokenOfFreshLock(locks, "during") == null && valueOrNull(counters, "visits") == null);

            redis.server().restart();
            AtomicReference<Long> token = new AtomicReference<>();
            AtomicReference<Long> visits = new AtomicReference<>();
            await("a lock and an increment after Redis came back").atMost(USABLE_WITHIN)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (token.get() == null) {
                            token.set(tokenOfFreshLock(locks, "after"));
                        }
                        if (visits.get() == null) {
                            visits.set(incrementedOrNull(counters, "visits"));
                        }
                        return token.get() != null && visits.get() != null;
                    });
            // the server came back without its data; an increment whose answer was lost may still have counted
            assertThat(visits.get()).isPositive();
            assertThat(counters.get("visits")).isEqualTo(visits.get());
        });
    }

    /** The fencing token of a lock on {@code key} taken and released at once; null when Redis failed it. */
    private static @Nullable Long tokenOfFreshLock(LockTemplate locks, String key) {
        try (LockHandle handle = locks.acquire(key, Duration.ZERO)) {
            return handle.fencingToken();
        }
        catch (LockNotAcquiredException ex) {
            // only a failure of Redis, never a holder: nobody else takes these keys
            assertThat(ex).hasCauseInstanceOf(LockBackendException.class);
            return null;
        }
    }

    private static @Nullable Long valueOrNull(CounterTemplate counters, String name) {
        try {
            return counters.get(name);
        }
        catch (CounterBackendException ex) {
            return null;
        }
    }

    private static @Nullable Long incrementedOrNull(CounterTemplate counters, String name) {
        try {
            return counters.incrementAndGet(name);
        }
        catch (CounterBackendException ex) {
            // CounterOutcomeUnknownException included: the increment may have been applied
            return null;
        }
    }

    private static Delay reconnectDelay(AssertableApplicationContext context) {
        return context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getClientResources()
                .orElseThrow().reconnectDelay();
    }

    /** Every attempt of a long outage waits between {@code min} and {@code max}. */
    private static void assertDelaysBetween(Delay delay, Duration min, Duration max) {
        for (long attempt = 1; attempt <= 100; attempt++) {
            assertThat(delay.createDelay(attempt)).as("delay before attempt %d", attempt).isBetween(min, max);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConstantDelayCustomizer {

        static final Duration DELAY = Duration.ofSeconds(7);

        @Bean
        ClientResourcesBuilderCustomizer constantReconnectDelay() {
            return builder -> builder.reconnectDelay(Delay.constant(DELAY));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClientResources {

        static final Duration DELAY = Duration.ofSeconds(5);

        @Bean(destroyMethod = "shutdown")
        ClientResources ownClientResources() {
            return DefaultClientResources.builder().reconnectDelay(Delay.constant(DELAY)).build();
        }
    }
}
