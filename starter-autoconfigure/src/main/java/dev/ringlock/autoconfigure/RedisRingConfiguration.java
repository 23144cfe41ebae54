package dev.ringlock.autoconfigure;

import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisMembership;
import dev.ringlock.ring.Membership;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Ring members heartbeating into Redis, through the application's {@link RedisConnectionFactory}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.REDIS_CONNECTION_FACTORY, BackendSelection.RINGLOCK_REDIS})
@ConditionalOnBackend(feature = RingAutoConfiguration.FEATURE, value = RinglockBackend.REDIS)
@Import(RedisReconnectConfiguration.class)
class RedisRingConfiguration {

    @Bean
    @ConditionalOnMissingBean(Membership.class)
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    RedisMembership redisMembership(RedisConnectionFactory connectionFactory, RinglockProperties properties,
            RinglockScheduler scheduler, Environment environment) {
        RedisConnections.requireReachable(connectionFactory, environment);
        return new RedisMembership(connectionFactory, new RedisKeyspace(properties.getKeyPrefix()), scheduler.executor(),
                properties.getRing().getMemberTimeout());
    }
}
