package dev.ringlock.autoconfigure;

import java.time.Duration;

import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.Membership;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Consistent-hash routing: the {@link Membership} of the ring's backend as {@link BackendSelection} picks it
 * ({@code zookeeper} and {@code redis} live, {@code local} a static ring of {@code ringlock.ring.nodes}), and the
 * {@link HashRingRouter} it feeds, which joins the ring as {@code ringlock.ring.self-id} when the context
 * starts and leaves it when the context stops. The router watches the members from start-up on (one
 * subscription or cache, and on Redis a heartbeat every third of the member timeout); an application that
 * does not route sets {@code ringlock.ring.enabled=false}. The router's rings route by
 * {@code ringlock.ring.route} ({@code slots} by default, {@code rendezvous} for the route of earlier releases).
 */
@AutoConfiguration(after = {RinglockAutoConfiguration.class, ZooKeeperClientAutoConfiguration.class},
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBooleanProperty(name = "ringlock.ring.enabled", matchIfMissing = true)
@Import({StaticRingConfiguration.class, RedisRingConfiguration.class, ZooKeeperRingConfiguration.class})
public final class RingAutoConfiguration {

    static final String FEATURE = "ring";

    private static final Log logger = LogFactory.getLog(RingAutoConfiguration.class);

    /** How long start-up waits for the first member list. */
    private static final Duration INITIAL_MEMBERS_WAIT = Duration.ofSeconds(10);

    RingAutoConfiguration(Environment environment) {
        String membership = environment.getProperty(BackendSelection.RING_MEMBERSHIP);
        if (membership != null) {
            logger.warn("'" + BackendSelection.RING_MEMBERSHIP + "' is deprecated and will be removed; set "
                    + "'ringlock.ring.backend' instead (zookeeper or redis; local, or listing 'ringlock.ring.nodes', "
                    + "for a static ring). Read as: " + membership);
        }
    }

    @Bean
    @ConditionalOnMissingBean(HashRingRouter.class)
    DefaultHashRingRouter hashRingRouter(ObjectProvider<Membership> memberships, RinglockProperties properties,
            Environment environment, ListableBeanFactory beanFactory) {
        Membership membership = memberships.getIfUnique();
        if (membership == null) {
            throw noMembership(environment, beanFactory);
        }
        return new DefaultHashRingRouter(membership, properties.getRing().getSelfId(), INITIAL_MEMBERS_WAIT,
                properties.getRing().getRoute());
    }

    private static NoBackendException noMembership(Environment environment, ListableBeanFactory beanFactory) {
        return NoBackendException.forFeature(FEATURE, environment, beanFactory,
                "; or list the members in 'ringlock.ring.nodes'");
    }
}
