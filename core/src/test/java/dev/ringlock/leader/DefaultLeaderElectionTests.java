package dev.ringlock.leader;

import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.local.LocalLeaderElectionProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void closingLeavesEveryGroupAndAJoinAfterThatNeverReachesTheBackendNorLeads() {
        DefaultLeaderElection election = new DefaultLeaderElection("member-a", counting, null);
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
