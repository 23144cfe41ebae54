package dev.ringlock.autoconfigure;

import dev.ringlock.lock.EventPublishingLockLossListener;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.lock.LockLossListener;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * What every Ringlock feature shares: properties, the scheduler, and the lock-loss event sink.
 */
@AutoConfiguration
@EnableConfigurationProperties(RinglockProperties.class)
public final class RinglockAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RinglockScheduler ringlockScheduler() {
        return new RinglockScheduler();
    }

    @Bean
    @ConditionalOnMissingBean
    LockLossListener ringlockLockLossListener(ApplicationEventPublisher publisher) {
        return new EventPublishingLockLossListener(publisher);
    }
}
