package dev.ringlock.leader;

import java.util.ArrayList;
import java.util.List;

import dev.ringlock.local.LocalLeaderElectionProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application-wide listener publishes every grant and revoke of every candidacy of a
 * {@link DefaultLeaderElection}, the grant of a candidacy that leads at once included.
 */
class EventPublishingLeadershipListenerTests {

    @Test
    void publishesEveryGrantAndRevokeAsAnApplicationEvent() {
        List<Object> published = new ArrayList<>();
        DefaultLeaderElection election = new DefaultLeaderElection("member-1", new LocalLeaderElectionProvider(),
                new EventPublishingLeadershipListener(published::add));

        Leadership leadership = election.join("reports");
        long first = leadership.term();
        leadership.yieldLeadership();
        election.close();

        assertThat(published).map(Object::toString).containsExactly(
                "LeadershipGrantedEvent[group='reports', member='member-1', term=" + first + "]",
                "LeadershipRevokedEvent[group='reports', member='member-1', term=" + first + ", reason=YIELDED]",
                "LeadershipGrantedEvent[group='reports', member='member-1', term=" + leadership.term() + "]",
                "LeadershipRevokedEvent[group='reports', member='member-1', term=" + leadership.term() + ", reason=CLOSED]");
        assertThat(election.joined()).isEmpty();
    }
}
