package dev.ringlock.autoconfigure;

import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisReleaseChannel;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The one release-channel subscription that Redis locks and Redis leader election share: an application keeps
 * one pub/sub connection for both. Imported by each of their configurations, so it exists only when one of them
 * is active; Spring starts it before the providers and stops it after them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.REDIS_CONNECTION_FACTORY, BackendSelection.RINGLOCK_REDIS})
class RedisReleaseChannelConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    RedisReleaseChannel ringlockRedisReleaseChannel(RedisConnectionFactory connectionFactory,
            RinglockProperties properties, Environment environment) {
        RedisConnections.requireReachable(connectionFactory, environment);
        return new RedisReleaseChannel(connectionFactory, new RedisKeyspace(properties.getKeyPrefix()));
    }
}
