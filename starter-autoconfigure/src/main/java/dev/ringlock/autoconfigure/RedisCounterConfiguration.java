package dev.ringlock.autoconfigure;

import dev.ringlock.counter.CounterStore;
import dev.ringlock.redis.RedisCounterStore;
import dev.ringlock.redis.RedisKeyspace;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Counters on Redis, through the application's {@link RedisConnectionFactory}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.REDIS_CONNECTION_FACTORY, BackendSelection.RINGLOCK_REDIS})
@ConditionalOnBackend(feature = CounterAutoConfiguration.FEATURE, value = RinglockBackend.REDIS)
@Import(RedisReconnectConfiguration.class)
class RedisCounterConfiguration {

    @Bean
    @ConditionalOnMissingBean(CounterStore.class)
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    RedisCounterStore redisCounterStore(RedisConnectionFactory connectionFactory, RinglockProperties properties,
            Environment environment) {
        RedisConnections.requireReachable(connectionFactory, environment);
        return new RedisCounterStore(connectionFactory, new RedisKeyspace(properties.getKeyPrefix()),
                properties.getCounter().getTimeout());
    }
}
