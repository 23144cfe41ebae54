package dev.ringlock.virtualthreads;

import dev.ringlock.testsupport.ZooKeeperServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AbstractVirtualThreadLockingTests} on a real ZooKeeper server (curator-test, in process). */
class ZooKeeperVirtualThreadLockingTests extends AbstractVirtualThreadLockingTests {

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();

    @Override
    protected String[] backendProperties() {
        return new String[] {"ringlock.backend=zookeeper", "ringlock.zookeeper.connect-string=" + zookeeper.connectString()};
    }
}
