package dev.ringlock.autoconfigure.metrics;

import dev.ringlock.autoconfigure.RingAutoConfiguration;
import dev.ringlock.autoconfigure.RingMembershipKind;
import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.Membership;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The ring's {@link RingMeters}, when Micrometer is present and the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = RingAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBooleanProperty(name = "ringlock.ring.enabled", matchIfMissing = true)
public final class RingMetricsAutoConfiguration {

    /**
     * Looks the registry up when the bean is created rather than through a bean condition, so the answer
     * does not depend on the order in which auto-configurations are processed; without a registry (or
     * router) the holder stays empty.
     */
    @Bean
    @ConditionalOnMissingBean
    RingMetersHolder ringlockRingMeters(ObjectProvider<MeterRegistry> registries, ObjectProvider<HashRingRouter> routers,
            ObjectProvider<Membership> memberships) {
        MeterRegistry registry = registries.getIfUnique();
        HashRingRouter router = routers.getIfUnique();
        if (registry == null || router == null) {
            return new RingMetersHolder(null);
        }
        String membership = RingMembershipKind.of(router, memberships);
        return new RingMetersHolder(new RingMeters(registry, router, membership == null ? "custom" : membership));
    }

    /** The bean that keeps the ring's meters, if any were registered. */
    public record RingMetersHolder(@Nullable RingMeters meters) {
    }
}
