package dev.ringlock.autoconfigure;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.local.LocalLeaderElectionProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leader election in this JVM only; used only when {@code local} is named.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(feature = LeaderAutoConfiguration.FEATURE, value = RinglockBackend.LOCAL)
class LocalLeaderConfiguration {

    @Bean
    @ConditionalOnMissingBean(LeaderElectionProvider.class)
    LocalLeaderElectionProvider localLeaderElectionProvider() {
        return new LocalLeaderElectionProvider();
    }
}
