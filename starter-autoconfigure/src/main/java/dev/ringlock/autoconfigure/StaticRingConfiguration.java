package dev.ringlock.autoconfigure;

import dev.ringlock.ring.Membership;
import dev.ringlock.ring.StaticMembership;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A ring of the members listed in {@code ringlock.ring.nodes}: the ring's {@code local} backend, chosen by
 * {@link BackendSelection} also when the ring names no backend and lists nodes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(feature = RingAutoConfiguration.FEATURE, value = RinglockBackend.LOCAL)
class StaticRingConfiguration {

    @Bean
    @ConditionalOnMissingBean(Membership.class)
    StaticMembership staticMembership(RinglockProperties properties) {
        return new StaticMembership(properties.getRing().getNodes());
    }
}
