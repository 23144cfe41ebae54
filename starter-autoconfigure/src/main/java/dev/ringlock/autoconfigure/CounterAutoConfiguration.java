package dev.ringlock.autoconfigure;

import dev.ringlock.counter.ObservedCounterStore;
import dev.ringlock.counter.SequencePrefetchExecutor;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.DefaultCounterTemplate;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Shared counters: the {@link CounterStore} of the chosen backend ({@code ringlock.counter.backend}, else
 * {@code ringlock.backend}, else detection, as for locks) and the {@link CounterTemplate} over it, observed
 * as {@code ringlock.counter} when the application has an {@link ObservationRegistry}.
 */
@AutoConfiguration(after = {RinglockAutoConfiguration.class, ZooKeeperClientAutoConfiguration.class},
        afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@Import({RedisCounterConfiguration.class, ZooKeeperCounterConfiguration.class, LocalCounterConfiguration.class})
public final class CounterAutoConfiguration {

    static final String FEATURE = "counter";

    @Bean
    @ConditionalOnMissingBean(CounterTemplate.class)
    DefaultCounterTemplate counterTemplate(RinglockProperties properties, ObjectProvider<CounterStore> stores,
            ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<SequencePrefetchExecutor> prefetch,
            Environment environment, ListableBeanFactory beanFactory) {
        CounterStore store = stores.getIfUnique();
        if (store == null) {
            throw noStore(environment, beanFactory);
        }
        ObservationRegistry registry = observationRegistry.getIfAvailable();
        if (registry != null && !registry.isNoop()) {
            store = new ObservedCounterStore(store, registry);
        }
        return new DefaultCounterTemplate(store, properties.getCounter().isPrefetch() ? prefetch.getObject().asExecutor() : null);
    }

    @Bean
    @ConditionalOnMissingBean
    SequencePrefetchExecutor ringlockSequencePrefetchExecutor() {
        return new SequencePrefetchExecutor();
    }

    private static NoBackendException noStore(Environment environment, ListableBeanFactory beanFactory) {
        return NoBackendException.forFeature(FEATURE, environment, beanFactory, "");
    }
}
