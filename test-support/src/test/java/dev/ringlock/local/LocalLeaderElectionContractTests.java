package dev.ringlock.local;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.testsupport.contract.AbstractLeaderElectionContractTests;
import dev.ringlock.testsupport.contract.LeaderElectionFixture;

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
