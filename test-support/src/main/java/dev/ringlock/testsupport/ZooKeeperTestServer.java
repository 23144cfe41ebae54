package dev.ringlock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.testcontainers.containers.GenericContainer;

/**
 * A real ZooKeeper server for tests: curator-test's in-process {@link TestingServer} by default, a
 * {@code zookeeper:3.9} container when {@code ringlock.test.servers=containers}.
 */
public interface ZooKeeperTestServer extends AutoCloseable {

    /** ZooKeeper's own tick: sessions of 6 s to 60 s. */
    int DEFAULT_TICK_MS = 3000;

    /** Starts the server chosen by {@code ringlock.test.servers} on a free port. */
    static ZooKeeperTestServer create() {
        return create(DEFAULT_TICK_MS);
    }

    /**
     * Starts the server chosen by {@code ringlock.test.servers} on a free port with a tick of {@code tickMs}: it
     * grants sessions of 2 to 20 ticks, so a short tick lets a test wait for a session to expire in less time.
     */
    static ZooKeeperTestServer create(int tickMs) {
        return TestServers.useContainers() ? new Container(tickMs) : new InProcess(tickMs);
    }

    String connectString();

    /** Whether {@link #restart()} works. */
    boolean supportsFaults();

    /** Stops and starts the server on the same port, keeping its data. */
    void restart();

    @Override
    void close();

    /** curator-test's {@link TestingServer}, in this JVM. */
    final class InProcess implements ZooKeeperTestServer {

        private final TestingServer server;

        InProcess(int tickMs) {
            try {
                // Port 0: the server binds a port of the system's choosing and reports it. A free port picked
                // beforehand (-1) can be taken by another process before the server binds it, and the embedded
                // server then exits the whole test JVM.
                server = new TestingServer(new InstanceSpec(null, 0, -1, -1, true, -1, tickMs, -1), true);
            }
            catch (Exception ex) {
                throw new IllegalStateException("Could not start an in-process ZooKeeper server", ex);
            }
        }

        @Override
        public String connectString() {
            return server.getConnectString();
        }

        @Override
        public boolean supportsFaults() {
            return true;
        }

        @Override
        public void restart() {
            try {
                server.restart();
            }
            catch (Exception ex) {
                throw new IllegalStateException("Could not restart ZooKeeper on " + connectString(), ex);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** A {@code zookeeper:3.9} container. */
    final class Container implements ZooKeeperTestServer {

        private final GenericContainer<?> container;

        Container(int tickMs) {
            container = new GenericContainer<>("zookeeper:3.9").withExposedPorts(2181)
                    .withEnv("ZOO_TICK_TIME", Integer.toString(tickMs));
            container.start();
        }

        @Override
        public String connectString() {
            return container.getHost() + ":" + container.getMappedPort(2181);
        }

        @Override
        public boolean supportsFaults() {
            return false;
        }

        @Override
        public void restart() {
            throw new UnsupportedOperationException("Restarts need the in-process server; run without -Pcontainers");
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
