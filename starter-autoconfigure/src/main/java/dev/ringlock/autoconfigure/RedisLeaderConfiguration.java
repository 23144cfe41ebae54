package dev.ringlock.autoconfigure;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.redis.RedisReleaseChannel;
import dev.ringlock.redis.RedisLeaderElectionProvider;
import dev.ringlock.support.RinglockScheduler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Leader election on Redis, through the application's {@link RedisConnectionFactory}: leader leases of
 * {@code ringlock.leader.lease-time}, renewed on the shared scheduler; candidates poll every
 * {@code ringlock.lock.poll-interval} when no release message came.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.REDIS_CONNECTION_FACTORY, BackendSelection.RINGLOCK_REDIS})
@ConditionalOnBackend(feature = LeaderAutoConfiguration.FEATURE, value = RinglockBackend.REDIS)
@Import({RedisReleaseChannelConfiguration.class, RedisReconnectConfiguration.class})
class RedisLeaderConfiguration {

    @Bean
    @ConditionalOnMissingBean(LeaderElectionProvider.class)
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    RedisLeaderElectionProvider redisLeaderElectionProvider(RedisConnectionFactory connectionFactory,
            RedisReleaseChannel releaseChannel, RinglockProperties properties, RinglockScheduler scheduler) {
        RedisLeaderElectionProvider provider = new RedisLeaderElectionProvider(connectionFactory, releaseChannel,
                scheduler.executor(), properties.getLeader().getLeaseTime(), properties.getLock().getPollInterval());
        provider.setReplicaAcknowledgement(RedisReplicaAcknowledgements.of(properties.getRedis().getReplicas()));
        return provider;
    }
}
