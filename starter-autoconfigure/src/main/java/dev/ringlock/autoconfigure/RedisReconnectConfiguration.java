package dev.ringlock.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bounded reconnect delay of the Lettuce client Spring Boot builds ({@link RedisReconnectDelayCustomizer}).
 * Imported by the configuration of each feature on Redis, so it exists only when one of them is active. It
 * shapes Spring Boot's {@code ClientResources}: an application with a {@code ClientResources} bean of its own
 * keeps that bean's delay, and a {@code ClientResourcesBuilderCustomizer} of its own runs after this one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {RedisReconnectConfiguration.LETTUCE_CLIENT, RedisReconnectConfiguration.CLIENT_RESOURCES_CUSTOMIZER})
class RedisReconnectConfiguration {

    static final String LETTUCE_CLIENT = "io.lettuce.core.RedisClient";
    static final String CLIENT_RESOURCES_CUSTOMIZER = "org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer";

    @Bean
    RedisReconnectDelayCustomizer ringlockRedisReconnectDelay(RinglockProperties properties) {
        RinglockProperties.Redis.Reconnect reconnect = properties.getRedis().getReconnect();
        return new RedisReconnectDelayCustomizer(reconnect.getMinDelay(), reconnect.getMaxDelay());
    }
}
