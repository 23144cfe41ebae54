package dev.ringlock.local;

import java.util.ArrayList;
import java.util.List;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.testsupport.contract.AbstractLeaderElectionContractTests;
import dev.ringlock.testsupport.contract.LeaderElectionFixture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader election contract on {@link LocalLeaderElectionProvider}. Its "clients" are distinct objects over
 * one in-JVM provider, since local elections are shared by the whole process; one provider per test instance,
 * so each test gets fresh groups.
 */
class LocalLeaderElectionContractTests extends AbstractLeaderElectionContractTests {

    private final LocalLeaderElectionProvider provider = new LocalLeaderElectionProvider();

    private final LeaderElectionFixture fixture = new LeaderElectionFixture() {

        @Override
        public LeaderElectionProvider createClient() {
            return new SharedClient(provider);
        }

        @Override
        public void closeClient(LeaderElectionProvider client) {
        }
    };

    @Override
    protected LeaderElectionFixture fixture() {
        return fixture;
    }

    @Test
    void leadershipGoesRoundTheCandidatesInJoinOrderAndTermsCountPerGroup() {
        String group = group("round");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"));
        all.forEach(m -> m.in(group));
        List<String> leaders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Member leader = all.stream().filter(m -> m.in(group).isLeader()).findFirst().orElseThrow();
            leaders.add(leader.id());
            leader.in(group).yieldLeadership();
        }
        assertThat(leaders).containsExactly("member-1", "member-2", "member-3", "member-1");

        Leadership elsewhere = all.get(1).in(group("other"));
        assertThat(elsewhere.isLeader()).as("the first candidate of another group leads at once").isTrue();
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(5);
    }

    /** A distinct client object per call over the shared provider. */
    private record SharedClient(LocalLeaderElectionProvider delegate) implements LeaderElectionProvider {

        @Override
        public String backend() {
            return delegate.backend();
        }

        @Override
        public Leadership join(String group, String memberId) {
            return delegate.join(group, memberId);
        }
    }
}
