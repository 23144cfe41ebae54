package dev.ringlock.autoconfigure;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLeaderElectionProvider;
import dev.ringlock.support.RinglockScheduler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Leader election on Redis, through the application's {@link RedisConnectionFactory}: leader leases of
 * {@code ringlock.leader.lease-time}, renewed on the shared scheduler; candidates poll every
 * {@code ringlock.lock.poll-interval} when no release message came.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.REDIS_CONNECTION_FACTORY, BackendSelection.RINGLOCK_REDIS})
@ConditionalOnBackend(feature = LeaderAutoConfiguration.FEATURE, value = RinglockBackend.REDIS)
class RedisLeaderConfiguration {

    @Bean
    @ConditionalOnMissingBean(LeaderElectionProvider.class)
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    RedisLeaderElectionProvider redisLeaderElectionProvider(RedisConnectionFactory connectionFactory,
            RinglockProperties properties, RinglockScheduler scheduler, Environment environment) {
        RedisConnections.requireReachable(connectionFactory, environment);
        return new RedisLeaderElectionProvider(connectionFactory, new RedisKeyspace(properties.getKeyPrefix()),
                scheduler.executor(), properties.getLeader().getLeaseTime(), properties.getLock().getPollInterval());
    }
}
