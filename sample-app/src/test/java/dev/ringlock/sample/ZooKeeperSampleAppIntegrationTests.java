package dev.ringlock.sample;

/**
 * The sample as it starts by default: every feature on the embedded ZooKeeper.
 */
class ZooKeeperSampleAppIntegrationTests extends AbstractSampleAppIntegrationTests {

    @Override
    String backend() {
        return "zookeeper";
    }
}
