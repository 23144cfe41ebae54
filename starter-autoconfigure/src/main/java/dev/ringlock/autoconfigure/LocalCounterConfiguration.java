package dev.ringlock.autoconfigure;

import dev.ringlock.counter.CounterStore;
import dev.ringlock.local.LocalCounterStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Counters in this JVM only; used only when {@code local} is named.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(feature = CounterAutoConfiguration.FEATURE, value = RinglockBackend.LOCAL)
class LocalCounterConfiguration {

    @Bean
    @ConditionalOnMissingBean(CounterStore.class)
    LocalCounterStore localCounterStore() {
        return new LocalCounterStore();
    }
}
