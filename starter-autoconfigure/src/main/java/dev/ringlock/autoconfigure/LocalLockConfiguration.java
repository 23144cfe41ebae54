package dev.ringlock.autoconfigure;

import dev.ringlock.local.LocalLockProvider;
import dev.ringlock.lock.LockProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Locks in this JVM only; used only when {@code local} is named.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(feature = LockAutoConfiguration.FEATURE, value = RinglockBackend.LOCAL)
class LocalLockConfiguration {

    @Bean
    @ConditionalOnMissingBean(LockProvider.class)
    LocalLockProvider localLockProvider() {
        return new LocalLockProvider();
    }
}
