package dev.ringlock.testsupport;

import java.util.concurrent.Callable;

/**
 * One Redis server per test class: by default the one {@link RedisTestServer#create()} picks (a
 * {@code redis-server} process, or a container with {@code ringlock.test.servers=containers}).
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension();
 * }</pre>
 * See {@link TestServerExtension} for when it starts and stops.
 */
public final class RedisServerExtension extends TestServerExtension<RedisTestServer> {

    /** The server {@link RedisTestServer#create()} picks. */
    public RedisServerExtension() {
        this(RedisTestServer::create);
    }

    /**
     * The server {@code starter} starts, e.g. a process with extra arguments:
     * {@code () -> RedisServerProcess.start("--requirepass", "secret")}.
     */
    public RedisServerExtension(Callable<? extends RedisTestServer> starter) {
        super(starter);
    }

    /** The running server's host. */
    public String host() {
        return server().host();
    }

    /** The running server's port. */
    public int port() {
        return server().port();
    }

    /** The server as {@code spring.data.redis.host} and {@code spring.data.redis.port} properties. */
    public String[] springProperties() {
        return new String[] {"spring.data.redis.host=" + host(), "spring.data.redis.port=" + port()};
    }
}
