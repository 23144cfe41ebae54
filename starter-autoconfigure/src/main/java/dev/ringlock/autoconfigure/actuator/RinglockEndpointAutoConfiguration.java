package dev.ringlock.autoconfigure.actuator;

import dev.ringlock.autoconfigure.CounterAutoConfiguration;
import dev.ringlock.autoconfigure.LockAutoConfiguration;
import dev.ringlock.autoconfigure.RingAutoConfiguration;
import dev.ringlock.lock.HeldLocks;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.Membership;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link RinglockEndpoint}, when Spring Boot's actuator is present and the endpoint is exposed
 * ({@code management.endpoints.web.exposure.include=ringlock}).
 */
@AutoConfiguration(after = {LockAutoConfiguration.class, CounterAutoConfiguration.class, RingAutoConfiguration.class},
        afterName = "dev.ringlock.autoconfigure.LeaderAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
public final class RinglockEndpointAutoConfiguration {

    /** Nested, so the endpoint condition's class is only loaded once the actuator is known to be there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(RinglockEndpoint.class)
    static class RinglockEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RinglockEndpoint ringlockEndpoint(ObjectProvider<LockProvider> lockProviders,
                ObjectProvider<CounterStore> counterStores, ObjectProvider<HashRingRouter> routers,
                ObjectProvider<Membership> memberships, ObjectProvider<DefaultLeaderElection> elections,
                ObjectProvider<HeldLocks> heldLocks, RingChangeHistory ringChanges) {
            // without Ringlock's lock auto-configuration no lock is tracked: an empty list
            return new RinglockEndpoint(lockProviders, counterStores, routers, memberships, elections,
                    heldLocks.getIfAvailable(HeldLocks::new), ringChanges);
        }

        @Bean
        @ConditionalOnMissingBean
        RingChangeHistory ringlockRingChangeHistory(ObjectProvider<HashRingRouter> routers) {
            RingChangeHistory history = new RingChangeHistory();
            // registered before the router starts (at context refresh's end), so the first join is recorded too
            routers.ifUnique(router -> router.addListener(history));
            return history;
        }
    }
}
