package dev.ringlock.autoconfigure;

import dev.ringlock.lock.HeldLocks;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.redis.RedisReleaseChannel;
import dev.ringlock.redis.RedisLockProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Locks on Redis, through the application's {@link RedisConnectionFactory}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.REDIS_CONNECTION_FACTORY, BackendSelection.RINGLOCK_REDIS})
@ConditionalOnBackend(feature = LockAutoConfiguration.FEATURE, value = RinglockBackend.REDIS)
@Import({RedisReleaseChannelConfiguration.class, RedisReconnectConfiguration.class})
class RedisLockConfiguration {

    @Bean
    @ConditionalOnMissingBean(LockProvider.class)
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    RedisLockProvider redisLockProvider(RedisConnectionFactory connectionFactory, RedisReleaseChannel releaseChannel,
            RinglockProperties properties, RinglockScheduler scheduler, LockLossListener lossListener,
            HeldLocks heldLocks) {
        RedisLockProvider provider = new RedisLockProvider(connectionFactory, releaseChannel, scheduler.executor(),
                heldLocks.relayingTo(lossListener), properties.getLock().getPollInterval());
        provider.setReplicaAcknowledgement(RedisReplicaAcknowledgements.of(properties.getRedis().getReplicas()));
        return provider;
    }
}
