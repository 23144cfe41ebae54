package dev.ringlock.testsupport;

import org.testcontainers.containers.GenericContainer;

/**
 * A {@code redis:7} container, for machines with Docker ({@code -Pcontainers}). Fault injection is left to
 * {@link RedisServerProcess}: tests that need it skip themselves here.
 */
final class ContainerRedisServer implements RedisTestServer {

    private final GenericContainer<?> container;

    private ContainerRedisServer(GenericContainer<?> container) {
        this.container = container;
    }

    static ContainerRedisServer start() {
        GenericContainer<?> container = new GenericContainer<>("redis:7").withExposedPorts(6379)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        container.start();
        return new ContainerRedisServer(container);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(6379);
    }

    @Override
    public boolean supportsFaults() {
        return false;
    }

    @Override
    public void stop() {
        throw unsupported();
    }

    @Override
    public void kill() {
        throw unsupported();
    }

    @Override
    public void restart() {
        throw unsupported();
    }

    @Override
    public void pause() {
        throw unsupported();
    }

    @Override
    public void resume() {
        throw unsupported();
    }

    @Override
    public void close() {
        container.stop();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("Fault injection needs the redis-server process; run without -Pcontainers");
    }
}
