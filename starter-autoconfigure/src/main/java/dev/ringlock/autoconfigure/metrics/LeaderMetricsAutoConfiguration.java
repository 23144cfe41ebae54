package dev.ringlock.autoconfigure.metrics;

import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.LeadershipGrantedEvent;
import dev.ringlock.leader.LeadershipRevokedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;

/**
 * The leader election's {@link LeaderMeters}, when Micrometer is present and the application has a
 * {@link MeterRegistry} and a {@link DefaultLeaderElection}.
 */
@AutoConfiguration(afterName = "dev.ringlock.autoconfigure.LeaderAutoConfiguration")
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
public final class LeaderMetricsAutoConfiguration {

    /**
     * Looks the registry and the election up when the bean is created rather than through bean conditions, so
     * the answer does not depend on the order in which auto-configurations are processed; without either the
     * holder stays empty.
     */
    @Bean
    @ConditionalOnMissingBean
    LeaderMetersHolder ringlockLeaderMeters(ObjectProvider<MeterRegistry> registries,
            ObjectProvider<DefaultLeaderElection> elections) {
        MeterRegistry registry = registries.getIfUnique();
        DefaultLeaderElection election = elections.getIfUnique();
        if (registry == null || election == null) {
            return new LeaderMetersHolder(null);
        }
        return new LeaderMetersHolder(new LeaderMeters(registry, election));
    }

    /**
     * The bean that keeps the leader meters, if any were registered, and feeds them the grant and revoke events.
     * An {@link ApplicationListener} rather than an {@code @EventListener} method, so that it hears the events
     * of groups joined while the context starts, whatever runs first then.
     */
    public record LeaderMetersHolder(@Nullable LeaderMeters meters)
            implements ApplicationListener<PayloadApplicationEvent<?>> {

        @Override
        public void onApplicationEvent(PayloadApplicationEvent<?> event) {
            if (meters == null) {
                return;
            }
            if (event.getPayload() instanceof LeadershipGrantedEvent granted) {
                meters.granted(granted);
            }
            else if (event.getPayload() instanceof LeadershipRevokedEvent revoked) {
                meters.revoked(revoked);
            }
        }
    }
}
