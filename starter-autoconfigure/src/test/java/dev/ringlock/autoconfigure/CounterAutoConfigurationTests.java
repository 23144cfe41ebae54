package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executor;

import dev.ringlock.counter.CounterStore;
import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.DefaultCounterTemplate;
import dev.ringlock.counter.Sequence;
import dev.ringlock.counter.SequencePrefetchExecutor;
import dev.ringlock.local.LocalCounterStore;
import dev.ringlock.redis.RedisCounterStore;
import dev.ringlock.zookeeper.CuratorNotifyExecutor;
import dev.ringlock.zookeeper.ZooKeeperCounterStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counter backend selection, the per-feature override, user beans, observations and start-up failures,
 * against real servers.
 */
class CounterAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, CounterAutoConfiguration.class, DataRedisAutoConfiguration.class));

    private ApplicationContextRunner withServers() {
        return runner.withPropertyValues(redisProperties());
    }

    @Test
    void redisBackendWhenNamed() {
        withServers().withPropertyValues("ringlock.backend=redis").run(context -> {
            assertThat(context).hasSingleBean(RedisCounterStore.class).hasSingleBean(DefaultCounterTemplate.class);
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            assertThat(counters.incrementAndGet("auto-config-redis")).isEqualTo(counters.get("auto-config-redis"));
        });
    }

    @Test
    void zookeeperBackendWhenNamed() {
        withServers().withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.counter.max-retry-time=3s").run(context -> {
            assertThat(context).hasSingleBean(ZooKeeperCounterStore.class);
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            assertThat(counters.addAndGet("auto-config-zk", 5)).isEqualTo(counters.get("auto-config-zk"));
        });
    }

    @Test
    void detectsZooKeeperFromTheConnectStringBeforeRedis() {
        withServers().withPropertyValues(zookeeperConnect()).run(context ->
                assertThat(context).hasSingleBean(ZooKeeperCounterStore.class));
    }

    @Test
    void detectsRedisFromTheConnectionFactory() {
        withServers().run(context -> assertThat(context).hasSingleBean(RedisCounterStore.class));
    }

    /** Boot creates {@code applicationTaskExecutor} (for {@code @Async} and others) only while no {@code Executor} bean exists. */
    @Test
    void keepsSpringBootsApplicationTaskExecutor() {
        withServers().withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
                .withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect()).run(context -> {
                    assertThat(context).hasSingleBean(SequencePrefetchExecutor.class).hasSingleBean(CuratorNotifyExecutor.class);
                    assertThat(context.getBeansOfType(Executor.class)).containsOnlyKeys(
                            TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME);
                });
    }

    @Test
    void localBackendOnlyWhenNamed() {
        runner.withPropertyValues("ringlock.backend=local").run(context ->
                assertThat(context).hasSingleBean(LocalCounterStore.class));
    }

    @Test
    void counterBackendOverridesTheGlobalOne() {
        withServers().withPropertyValues("ringlock.backend=redis", "ringlock.counter.backend=local").run(context ->
                assertThat(context).hasSingleBean(LocalCounterStore.class).doesNotHaveBean(RedisCounterStore.class));
        withServers().withPropertyValues("ringlock.backend=local", "ringlock.counter.backend=zookeeper", zookeeperConnect())
                .run(context -> assertThat(context).hasSingleBean(ZooKeeperCounterStore.class));
    }

    @Test
    void userCounterStoreWins() {
        withServers().withPropertyValues("ringlock.backend=redis").withBean(CounterStore.class, LocalCounterStore::new)
                .run(context -> {
                    assertThat(context).hasSingleBean(CounterStore.class).doesNotHaveBean(RedisCounterStore.class);
                    assertThat(context.getBean(DefaultCounterTemplate.class).store()).isInstanceOf(LocalCounterStore.class);
                });
    }

    @Test
    void userCounterTemplateWins() {
        CounterTemplate custom = new DefaultCounterTemplate(new LocalCounterStore(), null);
        runner.withPropertyValues("ringlock.backend=local").withBean("customCounters", CounterTemplate.class, () -> custom)
                .run(context -> assertThat(context).getBean(CounterTemplate.class).isSameAs(custom));
    }

    @Test
    void sequencesPrefetchUnlessTurnedOff() {
        runner.withPropertyValues("ringlock.backend=local").run(context -> {
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            Sequence orders = counters.sequence("orders", 10);
            assertThat(orders.next()).isEqualTo(1);
            for (int i = 2; i <= 6; i++) {
                assertThat(orders.next()).isEqualTo(i);
            }
            // past half of the first block, the second is reserved in the background
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(counters.get("orders")).isEqualTo(20));
        });
        runner.withPropertyValues("ringlock.backend=local", "ringlock.counter.prefetch=false").run(context -> {
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            Sequence orders = counters.sequence("orders", 10);
            for (int i = 1; i <= 10; i++) {
                assertThat(orders.next()).isEqualTo(i);
            }
            assertThat(counters.get("orders")).as("one block, reserved when needed").isEqualTo(10);
        });
    }

    @Test
    void everyOperationIsTimedTaggedWithItsKindAndTheBackend() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(MeteredObservations.class).run(context -> {
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            counters.incrementAndGet("timed");
            counters.incrementAndGet("timed");
            counters.addAndGet("timed", 5);
            counters.get("timed");
            counters.compareAndSet("timed", 7, 8);
            counters.set("timed", 1);
            counters.delete("timed");
            counters.sequence("timed", 4).next();
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(timer(meters, "increment").count()).isEqualTo(2);
            assertThat(timer(meters, "add").count()).as("addAndGet and the sequence's block").isEqualTo(2);
            for (String kind : new String[] {"get", "compare-and-set", "set", "delete"}) {
                assertThat(timer(meters, kind).count()).as(kind).isEqualTo(1);
            }
        });
    }

    @Test
    void noObservationsWithoutARegistry() {
        runner.withPropertyValues("ringlock.backend=local").run(context ->
                assertThat(context.getBean(DefaultCounterTemplate.class).store()).isInstanceOf(LocalCounterStore.class));
    }

    @Test
    void noBackendFailsWithWhatToSet() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.apache.curator"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                            .hasMessageContaining("Ringlock counter has no backend: none is set and none was detected");
                });
    }

    @Test
    void namedZooKeeperWithoutConnectStringFails() {
        withServers().withPropertyValues("ringlock.counter.backend=zookeeper").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                    .hasMessageContaining("Ringlock counter has no backend")
                    .hasMessageContaining("'ringlock.zookeeper.connect-string' is not set");
        });
    }

    @Test
    void namedRedisWithoutSpringDataRedisFails() {
        runner.withPropertyValues("ringlock.counter.backend=redis")
                .withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                            .hasMessageContaining("Redis is chosen but there is no single RedisConnectionFactory");
                });
    }

    @Test
    void nonPositiveMaxRetryTimeFailsNamingTheProperty() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.counter.max-retry-time=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("'ringlock.counter.max-retry-time' must be positive, was PT0S");
        });
    }

    @Test
    void nonPositiveTimeoutFailsNamingTheProperty() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.counter.timeout=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("'ringlock.counter.timeout' must be positive, was PT0S");
        });
    }

    private static Timer timer(MeterRegistry meters, String operation) {
        Timer timer = meters.find("ringlock.counter").tags("operation", operation, "backend", "local").timer();
        assertThat(timer).as("timer of %s", operation).isNotNull();
        return timer;
    }
}
