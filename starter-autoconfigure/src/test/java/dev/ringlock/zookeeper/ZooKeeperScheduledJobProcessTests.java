package dev.ringlock.zookeeper;

import dev.ringlock.ScheduledJobRuns;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.TestServerExtension;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three processes run the same {@code @Scheduled} job with {@code holdAtLeast} on ZooKeeper locks: one run per hold
 * in total, never two closer than the hold (see {@link ScheduledJobRuns}); the runs are logged on Redis.
 */
class ZooKeeperScheduledJobProcessTests {

    static {
        System.setProperty("zookeeper.forceSync", "no");
    }

    @RegisterExtension
    static final TestServerExtension<TestingServer> zooKeeper = TestServerExtension.of(() -> new TestingServer(true));

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    void threeInstancesRunTheScheduledJobOncePerHold() throws Exception {
        ScheduledJobRuns.runAndCheck("zookeeper", zooKeeper.server().getConnectString(), redisServer.host(),
                redisServer.port());
    }
}
