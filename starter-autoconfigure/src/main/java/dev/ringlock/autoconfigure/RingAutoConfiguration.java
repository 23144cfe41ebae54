package dev.ringlock.autoconfigure;

import java.time.Duration;

import dev.ringlock.ring.DefaultHashRingRouter;
import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.ring.Membership;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Consistent-hash routing: the {@link Membership} chosen by {@link RingMembershipSelection}, and the
 * {@link HashRingRouter} it feeds, which joins the ring as {@code ringlock.ring.self-id} when the context
 * starts and leaves it when the context stops. The router watches the members from start-up on (one
 * subscription or cache, and on Redis a heartbeat every third of the member timeout); an application that
 * does not route sets {@code ringlock.ring.enabled=false}.
 */
@AutoConfiguration(after = {RinglockAutoConfiguration.class, ZooKeeperClientAutoConfiguration.class},
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBooleanProperty(name = "ringlock.ring.enabled", matchIfMissing = true)
@Import({StaticRingConfiguration.class, RedisRingConfiguration.class, ZooKeeperRingConfiguration.class})
public final class RingAutoConfiguration {

    static final String FEATURE = "ring";

    /** How long start-up waits for the first member list. */
    private static final Duration INITIAL_MEMBERS_WAIT = Duration.ofSeconds(10);

    @Bean
    @ConditionalOnMissingBean(HashRingRouter.class)
    DefaultHashRingRouter hashRingRouter(ObjectProvider<Membership> memberships, RinglockProperties properties,
            Environment environment, ListableBeanFactory beanFactory) {
        Membership membership = memberships.getIfUnique();
        if (membership == null) {
            throw noMembership(environment, beanFactory);
        }
        return new DefaultHashRingRouter(membership, properties.getRing().getSelfId(), INITIAL_MEMBERS_WAIT);
    }

    private static NoBackendException noMembership(Environment environment, ListableBeanFactory beanFactory) {
        RingMembership selected = RingMembershipSelection.select(environment, beanFactory);
        RinglockBackend backend = selected == RingMembership.REDIS ? RinglockBackend.REDIS
                : selected == RingMembership.ZOOKEEPER ? RinglockBackend.ZOOKEEPER : null;
        return NoBackendException.forFeature(FEATURE, backend, "; or list the members in 'ringlock.ring.nodes'");
    }
}
