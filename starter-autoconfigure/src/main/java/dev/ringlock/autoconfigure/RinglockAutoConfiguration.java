package dev.ringlock.autoconfigure;

import dev.ringlock.lock.EventPublishingLockLossListener;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.lock.LockLossListener;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * What every Ringlock feature shares: properties, the scheduler, the lock-loss event sink, and the check that an
 * application processed ahead of time runs on the backends it was processed with.
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
    AotBackendCheck ringlockAotBackendCheck(Environment environment, ListableBeanFactory beanFactory) {
        return new AotBackendCheck(AotDetector.useGeneratedArtifacts(), environment, beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    LockLossListener ringlockLockLossListener(ApplicationEventPublisher publisher) {
        return new EventPublishingLockLossListener(publisher);
    }
}
