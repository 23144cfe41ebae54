package dev.ringlock.leader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.local.LocalLeaderElectionProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DefaultLeaderElection}: its join listeners, told of the candidacies open when they are added and of each
 * later one, once per candidacy; and a join after it closed, which never reaches the backend.
 */
class DefaultLeaderElectionTests {

    private final LocalLeaderElectionProvider local = new LocalLeaderElectionProvider();
    private final AtomicInteger joinsOnTheBackend = new AtomicInteger();
    private final LeaderElectionProvider counting = new LeaderElectionProvider() {

        @Override
        public String backend() {
            return local.backend();
        }

        @Override
        public Leadership join(String group, String memberId) {
            joinsOnTheBackend.incrementAndGet();
            return local.join(group, memberId);
        }
    };
    private final DefaultLeaderElection election = new DefaultLeaderElection("member-a", counting, null);

    @AfterEach
    void leave() {
        election.close();
    }

    @Test
    void aJoinListenerHearsOfOpenCandidaciesAndOfEachLaterJoinOnce() {
        Leadership reports = election.join("reports");
        List<Leadership> told = new ArrayList<>();
        election.addJoinListener(told::add);
        assertThat(told).containsExactly(reports);

        Leadership billing = election.join("billing");
        assertThat(election.join("billing")).as("joined already").isSameAs(billing);
        assertThat(told).containsExactly(reports, billing);

        billing.close();
        Leadership billingAgain = election.join("billing");
        assertThat(billingAgain).isNotSameAs(billing);
        assertThat(told).containsExactly(reports, billing, billingAgain);
    }

    @Test
    void closingLeavesEveryGroupAndAJoinAfterThatNeverReachesTheBackendNorLeads() {
        Leadership reports = election.join("reports");
        assertThat(reports.isLeader()).isTrue();

        election.close();
        Leadership late = election.join("reports");

        assertThat(reports.isLeader()).isFalse();
        assertThat(late.isLeader()).isFalse();
        assertThat(late.term()).isZero();
        assertThat(late.group()).isEqualTo("reports");
        assertThat(late.memberId()).isEqualTo("member-a");
        assertThat(joinsOnTheBackend).hasValue(1);
        assertThat(election.joined()).isEmpty();
        // another member can lead at once: nothing of member-a is left in the election
        assertThat(local.join("reports", "member-b").isLeader()).isTrue();
    }
}
