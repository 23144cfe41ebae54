package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.leader.Leadership;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperEnsembleExtension;
import dev.ringlock.testsupport.contract.AbstractLeaderElectionContractTests;
import dev.ringlock.testsupport.contract.LeaderElectionFixture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader election contract on a three-node ensemble, each client connected to every server, plus the fault
 * only an ensemble has: the ZooKeeper leader server dies. Every client is dropped while the servers elect a new
 * ZooKeeper leader, so the group's leader stops trusting its term (suspended) without losing it; it trusts it again
 * once reconnected in the same session, there are never two trusted leaders, and the next term, issued by the new
 * ZooKeeper leader, is larger (its {@code czxid} is of a later epoch).
 */
@Tag("fault")
class ZooKeeperLeaderElectionFaultTests extends AbstractLeaderElectionContractTests {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    static {
        // the test server's transaction log need not survive a power cut; without fsync it is much faster
        System.setProperty("zookeeper.forceSync", "no");
    }

    @RegisterExtension
    static final ZooKeeperEnsembleExtension ensemble = new ZooKeeperEnsembleExtension(3);

    private static ScheduledExecutorService scheduler;
    private static CuratorFramework admin;

    /** Servers a test killed; started again after it, so that every test finds a full ensemble. */
    private final List<InstanceSpec> killed = new ArrayList<>();

    private final ZooKeeperLeaderClients clients = new ZooKeeperLeaderClients(ensemble::connectString, 15_000,
            () -> new ExponentialBackoffRetry(100, 10, 2_000), scheduler, () -> admin, LONG_WAIT);

    @BeforeAll
    static void startSchedulerAndAdmin() {
        scheduler = Executors.newScheduledThreadPool(2);
        admin = TestClients.zookeeper(ensemble.connectString(), 15_000, new ExponentialBackoffRetry(100, 10, 2_000));
    }

    @AfterAll
    static void closeSchedulerAndAdmin() {
        if (admin != null) {
            admin.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @AfterEach
    void restartKilledServers() throws Exception {
        for (InstanceSpec instance : killed) {
            ensemble.server().restartServer(instance);
            await().atMost(LONG_WAIT).ignoreExceptions()
                    .until(() -> EnsembleRoles.isIn(instance, "follower") || EnsembleRoles.isIn(instance, "leader"));
        }
        killed.clear();
    }

    @Override
    protected LeaderElectionFixture fixture() {
        return clients;
    }

    /** Fewer rounds than on one server: an ensemble commits every create and delete through a quorum. */
    @Override
    protected int handOverRounds() {
        return 16;
    }

    @Test
    void theZooKeeperLeaderServerDiesAndTheGroupNeverHasTwoTrustedLeadersWhileTermsKeepIncreasing() throws Exception {
        String group = group("server-leader-dies");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, LONG_WAIT, all);
        Leadership leading = leader.in(group);
        long before = leading.term();

        sampleWhile(all, group, () -> {
            InstanceSpec serverLeader = EnsembleRoles.leader(ensemble.server());
            ensemble.server().killServer(serverLeader);
            killed.add(serverLeader);

            // the quorum re-forms: every server drops its clients, and the leader stops trusting its term
            await().atMost(LONG_WAIT).pollInterval(Duration.ofMillis(1)).until(() -> !leading.isLeader());
            // someone leads again: the same member in the same session, its node having outlived the election
            Member again = awaitLeader(group, LONG_WAIT, all);
            assertThat(again.in(group).term()).isGreaterThanOrEqualTo(before);

            // hand-overs go on, with increasing terms, until a node created since the election leads: its term
            // comes from the new ZooKeeper leader, whose epoch is a zxid's high 32 bits
            long after = again.in(group).term();
            for (int round = 0; round < all.size() && (after >>> 32) <= (before >>> 32); round++) {
                awaitLeader(group, LONG_WAIT, all).in(group).yieldLeadership();
                long next = awaitLeader(group, LONG_WAIT, all).in(group).term();
                assertThat(next).isGreaterThan(after);
                after = next;
            }
            assertThat(after >>> 32).as("epoch of the term").isGreaterThan(before >>> 32);
        });
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSizeGreaterThanOrEqualTo(2);
    }
}
