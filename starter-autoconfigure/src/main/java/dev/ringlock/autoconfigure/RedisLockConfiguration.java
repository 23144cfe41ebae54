package dev.ringlock.autoconfigure;

import dev.ringlock.lock.HeldLocks;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLockProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Locks on Redis, through the application's {@link RedisConnectionFactory}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.REDIS_CONNECTION_FACTORY, BackendSelection.RINGLOCK_REDIS})
@ConditionalOnBackend(feature = LockAutoConfiguration.FEATURE, value = RinglockBackend.REDIS)
class RedisLockConfiguration {

    @Bean
    @ConditionalOnMissingBean(LockProvider.class)
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    RedisLockProvider redisLockProvider(RedisConnectionFactory connectionFactory, RinglockProperties properties,
            RinglockScheduler scheduler, LockLossListener lossListener, HeldLocks heldLocks, Environment environment) {
        RedisConnections.requireReachable(connectionFactory, environment);
        return new RedisLockProvider(connectionFactory, new RedisKeyspace(properties.getKeyPrefix()),
                scheduler.executor(), heldLocks.relayingTo(lossListener), properties.getLock().getPollInterval());
    }
}
