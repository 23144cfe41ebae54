package dev.ringlock.autoconfigure;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Checks at start-up that the server answers, and accepts our credentials.
 */
final class RedisConnections {

    private static final String ADDRESS_PROPERTIES = "'spring.data.redis.host'/'spring.data.redis.port' (or 'spring.data.redis.url',"
            + " '.sentinel.*', '.cluster.*')";

    private RedisConnections() {
    }

    static void requireReachable(RedisConnectionFactory factory, Environment environment) {
        RuntimeException failure = ping(factory);
        if (failure != null && credentialsRefusal(failure) == null) {
            // Lettuce sometimes loses the server's answer to a refused AUTH in its handshake and reports only
            // that the connection closed ("RedisHandshakeHandler not registered"); a second attempt gets the
            // refusal itself, so the user is told to fix the password rather than the address
            failure = ping(factory);
        }
        if (failure == null) {
            return;
        }
        String refusal = credentialsRefusal(failure);
        if (refusal != null) {
            throw new BackendAuthenticationException(RinglockBackend.REDIS, address(environment),
                    credentialProperties(environment), refusal, failure);
        }
        throw new BackendUnavailableException(RinglockBackend.REDIS, address(environment), ADDRESS_PROPERTIES,
                withRootCause(failure), failure);
    }

    /** Null when the server answered a PING, else why not. */
    private static @Nullable RuntimeException ping(RedisConnectionFactory factory) {
        try (RedisConnection connection = factory.getConnection()) {
            connection.ping();
            return null;
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }

    /**
     * The failure's message and its root cause's: Lettuce's own is only "Unable to connect to Redis", while
     * the root cause says why (connection refused, a certificate that is not trusted, a timeout).
     */
    private static String withRootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage()) : failure.getMessage() + " (" + root + ")";
    }

    /** Redis's own answer when it refused the credentials (or was given none it needs); null for other failures. */
    private static @Nullable String credentialsRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            String upper = message.toUpperCase(Locale.ROOT);
            if (upper.startsWith("WRONGPASS") || upper.startsWith("NOAUTH") || upper.contains("INVALID PASSWORD")
                    || upper.contains("INVALID USERNAME-PASSWORD")) {
                return message;
            }
        }
        return null;
    }

    private static String credentialProperties(Environment environment) {
        if (environment.getProperty("spring.data.redis.url") != null) {
            return "the user and password in 'spring.data.redis.url' (or 'spring.data.redis.username'/'spring.data.redis.password')";
        }
        return "'spring.data.redis.password' (and 'spring.data.redis.username' for a Redis ACL user other than 'default')";
    }

    private static String address(Environment environment) {
        String url = environment.getProperty("spring.data.redis.url");
        if (url != null) {
            return url.replaceAll("//[^@/]*@", "//***@");
        }
        String sentinelMaster = environment.getProperty("spring.data.redis.sentinel.master");
        if (sentinelMaster != null) {
            return "master '" + sentinelMaster + "' of the Sentinels " + environment.getProperty("spring.data.redis.sentinel.nodes");
        }
        String clusterNodes = environment.getProperty("spring.data.redis.cluster.nodes");
        if (clusterNodes != null) {
            return "the cluster nodes " + clusterNodes;
        }
        return environment.getProperty("spring.data.redis.host", "localhost") + ":"
                + environment.getProperty("spring.data.redis.port", "6379");
    }
}
