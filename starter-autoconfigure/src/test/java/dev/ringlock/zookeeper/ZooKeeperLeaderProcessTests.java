package dev.ringlock.zookeeper;

import java.time.Duration;

import dev.ringlock.AbstractLeaderProcessTests;
import dev.ringlock.leader.LeadershipRevokedEvent;
import dev.ringlock.testsupport.TestServerExtension;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZooKeeper leader election across real JVMs: a leader killed, whose node goes when the server expires its
 * session, and one frozen past its session, which learns on thaw that the session ended ({@code SESSION_EXPIRED})
 * and joins again behind the new leader.
 */
class ZooKeeperLeaderProcessTests extends AbstractLeaderProcessTests {

    static {
        System.setProperty("zookeeper.forceSync", "no");
    }

    /** A short tick, so the server grants (and enforces) a 2 s session; the default 3 s tick allows 6 s at least. */
    @RegisterExtension
    static final TestServerExtension<TestingServer> zooKeeper = TestServerExtension.of(
            () -> new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true));

    @Override
    protected String backend() {
        return "zookeeper";
    }

    @Override
    protected String address() {
        return zooKeeper.server().getConnectString();
    }

    @Override
    protected Duration leaseOrSession() {
        return Duration.ofMillis(2000);
    }

    @Override
    protected LeadershipRevokedEvent.Reason frozenPastItsTermReason() {
        return LeadershipRevokedEvent.Reason.SESSION_EXPIRED;
    }
}
