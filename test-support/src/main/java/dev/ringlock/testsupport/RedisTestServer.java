package dev.ringlock.testsupport;

/**
 * A real Redis server for tests, demos and benchmarks. {@link #create()} picks the implementation: a
 * {@code redis-server} process by default, a Testcontainers {@code redis:7} container when the system
 * property {@code ringlock.test.servers} is {@code containers}.
 */
public interface RedisTestServer extends AutoCloseable {

    /** Starts the server chosen by {@code ringlock.test.servers} on a free port. */
    static RedisTestServer create() {
        return TestServers.useContainers() ? ContainerRedisServer.start() : RedisServerProcess.start();
    }

    String host();

    int port();

    /** Whether {@link #stop()}, {@link #kill()}, {@link #restart()}, {@link #pause()} and {@link #resume()} work. */
    boolean supportsFaults();

    /** Stops the server gracefully, without saving. */
    void stop();

    /** Kills the server with SIGKILL: no shutdown, no save. */
    void kill();

    /** Starts the server again on the same port, with no data. */
    void restart();

    /** Freezes the server (SIGSTOP): connections stay open but nothing is answered. */
    void pause();

    /** Thaws a paused server (SIGCONT). */
    void resume();

    /** Stops the server; unlike {@link #stop()}, it is not meant to be started again. */
    @Override
    void close();
}
