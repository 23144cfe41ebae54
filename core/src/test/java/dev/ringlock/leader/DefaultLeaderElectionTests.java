package dev.ringlock.leader;

import java.util.ArrayList;
import java.util.List;

import dev.ringlock.local.LocalLeaderElectionProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DefaultLeaderElection}'s join listeners: told of the candidacies open when they are added and of each
 * later one, once per candidacy.
 */
class DefaultLeaderElectionTests {

    private final DefaultLeaderElection election = new DefaultLeaderElection("member-1",
            new LocalLeaderElectionProvider(), null);

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
}
