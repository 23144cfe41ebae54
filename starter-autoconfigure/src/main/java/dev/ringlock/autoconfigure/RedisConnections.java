package dev.ringlock.autoconfigure;

import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Checks at start-up that the server answers.
 */
final class RedisConnections {

    private static final String PROPERTIES = "'spring.data.redis.host'/'spring.data.redis.port' (or 'spring.data.redis.url',"
            + " '.sentinel.*', '.cluster.*')";

    private RedisConnections() {
    }

    static void requireReachable(RedisConnectionFactory factory, Environment environment) {
        try (RedisConnection connection = factory.getConnection()) {
            connection.ping();
        }
        catch (RuntimeException ex) {
            throw new BackendUnavailableException(RinglockBackend.REDIS, address(environment), PROPERTIES, ex);
        }
    }

    private static String address(Environment environment) {
        String url = environment.getProperty("spring.data.redis.url");
        if (url != null) {
            return url.replaceAll("//[^@/]*@", "//***@");
        }
        return environment.getProperty("spring.data.redis.host", "localhost") + ":"
                + environment.getProperty("spring.data.redis.port", "6379");
    }
}
