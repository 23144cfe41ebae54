package dev.ringlock.testsupport;

import org.apache.curator.test.TestingCluster;

/**
 * One ZooKeeper ensemble per test class: curator-test's {@link TestingCluster} of in-process servers, for
 * tests of a leader change or a lost quorum, which may kill and restart its servers.
 * <pre>{@code
 * @RegisterExtension
 * static final ZooKeeperEnsembleExtension ensemble = new ZooKeeperEnsembleExtension(3);
 * }</pre>
 * See {@link TestServerExtension} for when it starts and stops.
 */
public final class ZooKeeperEnsembleExtension extends TestServerExtension<TestingCluster> {

    /** An ensemble of {@code size} servers. */
    public ZooKeeperEnsembleExtension(int size) {
        super(() -> start(size));
        if (size < 1) {
            throw new IllegalArgumentException("'size' must be at least 1, not " + size);
        }
    }

    private static TestingCluster start(int size) throws Exception {
        TestingCluster cluster = new TestingCluster(size);
        try {
            cluster.start();
        }
        catch (Exception ex) {
            cluster.close();
            throw ex;
        }
        return cluster;
    }

    /** Every server of the ensemble, as {@code host:port,host:port,…}. */
    public String connectString() {
        return server().getConnectString();
    }
}
