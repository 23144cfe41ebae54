package dev.ringlock.testsupport;

/**
 * One ZooKeeper server per test class, the one {@link ZooKeeperTestServer#create()} picks (curator-test's
 * in-process server, or a container with {@code ringlock.test.servers=containers}).
 * <pre>{@code
 * @RegisterExtension
 * static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();
 * }</pre>
 * See {@link TestServerExtension} for when it starts and stops.
 */
public final class ZooKeeperServerExtension extends TestServerExtension<ZooKeeperTestServer> {

    /** The server {@link ZooKeeperTestServer#create()} picks. */
    public ZooKeeperServerExtension() {
        super(ZooKeeperTestServer::create);
    }

    /**
     * A server with a tick of {@code tickMs} ({@link ZooKeeperTestServer#create(int)}): sessions of 2 to 20 ticks,
     * for tests that wait for one to expire.
     */
    public ZooKeeperServerExtension(int tickMs) {
        super(() -> ZooKeeperTestServer.create(tickMs));
    }

    /** The running server as a connect string, {@code host:port}. */
    public String connectString() {
        return server().connectString();
    }
}
