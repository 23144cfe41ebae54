package dev.ringlock.leader;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The state machine every backend's candidacy inherits: validity on the local clock, term checks, suspension,
 * and the order and isolation of listener calls.
 */
class AbstractLeadershipTests {

    private static final long HOUR = Duration.ofHours(1).toNanos();

    /** A candidacy driven by the test as a backend would drive it. */
    static class TestLeadership extends AbstractLeadership {

        final List<Long> handedOver = new CopyOnWriteArrayList<>();
        int leaves;

        TestLeadership() {
            super("test", "reports", "member-1");
        }

        @Override
        protected void handOver(long term) {
            handedOver.add(term);
        }

        @Override
        protected void leave() {
            leaves++;
        }
    }

    /** Records every event as text, in order. */
    static final class Recorder implements LeadershipListener {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void granted(LeadershipGrantedEvent event) {
            events.add("granted " + event.term());
        }

        @Override
        public void revoked(LeadershipRevokedEvent event) {
            events.add("revoked " + event.term() + " " + event.reason());
        }
    }

    @Test
    void aNewCandidacyIsNoLeaderWithTermZeroAndNoKnownLeader() {
        TestLeadership leadership = new TestLeadership();
        assertThat(leadership.isLeader()).isFalse();
        assertThat(leadership.term()).isZero();
        assertThat(leadership.leader()).isEmpty();
        assertThat(leadership.group()).isEqualTo("reports");
        assertThat(leadership.memberId()).isEqualTo("member-1");
    }

    @Test
    void leadsUntilTheConfirmedDeadlineOnTheLocalClock() {
        TestLeadership leadership = new TestLeadership();
        assertThat(leadership.granted(7, System.nanoTime() + HOUR)).isTrue();
        assertThat(leadership.isLeader()).isTrue();
        assertThat(leadership.term()).isEqualTo(7);
        assertThat(leadership.leader()).contains("member-1");

        TestLeadership expired = new TestLeadership();
        expired.granted(3, System.nanoTime() - 1);
        assertThat(expired.isLeader()).as("a deadline already passed, as after a freeze").isFalse();
        assertThat(expired.holdsTerm()).as("still holds the term until the backend revokes it").isTrue();
        assertThat(expired.confirmUntil(3, System.nanoTime() + HOUR)).isTrue();
        assertThat(expired.isLeader()).as("confirmed again by the server").isTrue();
    }

    @Test
    void aLateOlderConfirmationNeverMovesTheDeadlineBack() {
        TestLeadership leadership = new TestLeadership();
        long deadline = System.nanoTime() + HOUR;
        leadership.granted(1, deadline);
        assertThat(leadership.confirmUntil(1, System.nanoTime() - HOUR)).isTrue();
        assertThat(leadership.validUntilNanos()).isEqualTo(deadline);
        assertThat(leadership.isLeader()).isTrue();
    }

    @Test
    void aConfirmationOfAnotherTermChangesNothing() {
        TestLeadership leadership = new TestLeadership();
        long deadline = System.nanoTime() - 1;
        leadership.granted(5, deadline);
        assertThat(leadership.confirmUntil(4, System.nanoTime() + HOUR)).isFalse();
        assertThat(leadership.validUntilNanos()).isEqualTo(deadline);
        leadership.revoked(LeadershipRevokedEvent.Reason.LEASE_LOST);
        assertThat(leadership.confirmUntil(5, System.nanoTime() + HOUR)).as("after the revoke").isFalse();
        assertThat(leadership.isLeader()).isFalse();
    }

    @Test
    void aSuspendedLeaderIsNotTrustedUntilItResumes() {
        TestLeadership leadership = new TestLeadership();
        Recorder recorder = new Recorder();
        leadership.addListener(recorder);
        leadership.granted(2);
        leadership.suspend();
        assertThat(leadership.isLeader()).isFalse();
        leadership.resume();
        assertThat(leadership.isLeader()).isTrue();
        assertThat(recorder.events).as("suspension alone ends no term").containsExactly("granted 2");
    }

    @Test
    void termsMustBePositiveAndIncreasePerCandidacy() {
        TestLeadership leadership = new TestLeadership();
        assertThatIllegalStateException().isThrownBy(() -> leadership.granted(0))
                .withMessageContaining("term 0").withMessageContaining("'reports'");
        leadership.granted(10);
        assertThatIllegalStateException().isThrownBy(() -> leadership.granted(11))
                .withMessageContaining("still holds term 10");
        leadership.revoked(LeadershipRevokedEvent.Reason.LEASE_LOST);
        assertThatIllegalStateException().isThrownBy(() -> leadership.granted(10))
                .withMessageContaining("latest term 10");
        assertThat(leadership.granted(12)).isTrue();
    }

    @Test
    void revokeKeepsTheLatestTermAndTellsTheReason() {
        TestLeadership leadership = new TestLeadership();
        Recorder recorder = new Recorder();
        leadership.addListener(recorder);
        leadership.granted(4);
        assertThat(leadership.revoked(LeadershipRevokedEvent.Reason.SESSION_EXPIRED)).isTrue();
        assertThat(leadership.revoked(LeadershipRevokedEvent.Reason.SESSION_EXPIRED)).as("once").isFalse();
        assertThat(leadership.isLeader()).isFalse();
        assertThat(leadership.term()).isEqualTo(4);
        assertThat(leadership.leader()).isEmpty();
        assertThat(recorder.events).containsExactly("granted 4", "revoked 4 SESSION_EXPIRED");
    }

    @Test
    void yieldStopsTrustingBeforeItHandsOverAndOnlyWhenLeading() {
        TestLeadership leadership = new TestLeadership();
        leadership.yieldLeadership();
        assertThat(leadership.handedOver).as("nothing to hand over as a candidate").isEmpty();
        boolean[] trustedAtHandOver = new boolean[1];
        TestLeadership observed = new TestLeadership() {
            @Override
            protected void handOver(long term) {
                trustedAtHandOver[0] = isLeader();
                super.handOver(term);
            }
        };
        observed.granted(9);
        observed.yieldLeadership();
        assertThat(observed.handedOver).containsExactly(9L);
        assertThat(trustedAtHandOver[0]).isFalse();
        assertThat(observed.isOpen()).as("still a candidate").isTrue();
    }

    @Test
    void closeRevokesWithClosedLeavesOnceAndRefusesLaterGrants() {
        TestLeadership leadership = new TestLeadership();
        Recorder recorder = new Recorder();
        leadership.addListener(recorder);
        leadership.granted(6);
        leadership.close();
        leadership.close();
        assertThat(leadership.leaves).isEqualTo(1);
        assertThat(leadership.isLeader()).isFalse();
        assertThat(leadership.term()).isEqualTo(6);
        assertThat(leadership.granted(7)).as("a grant that raced with the close").isFalse();
        leadership.yieldLeadership();
        assertThat(leadership.handedOver).isEmpty();
        assertThat(recorder.events).containsExactly("granted 6", "revoked 6 CLOSED");
    }

    @Test
    void closingACandidateLeavesWithoutARevoke() {
        TestLeadership leadership = new TestLeadership();
        Recorder recorder = new Recorder();
        leadership.addListener(recorder);
        leadership.close();
        assertThat(leadership.leaves).isEqualTo(1);
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void aListenerAddedWhileLeadingIsToldOfTheCurrentTerm() {
        TestLeadership leadership = new TestLeadership();
        leadership.granted(3);
        Recorder late = new Recorder();
        leadership.addListener(late);
        leadership.yieldLeadership();
        assertThat(late.events).containsExactly("granted 3", "revoked 3 YIELDED");
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersFromBeingTold() {
        TestLeadership leadership = new TestLeadership();
        leadership.addListener(new LeadershipListener() {
            @Override
            public void granted(LeadershipGrantedEvent event) {
                throw new IllegalStateException("listener failure, logged on purpose");
            }
        });
        Recorder recorder = new Recorder();
        leadership.addListener(recorder);
        assertThat(leadership.granted(1)).isTrue();
        assertThat(leadership.isLeader()).isTrue();
        assertThat(recorder.events).containsExactly("granted 1");
    }

    @Test
    void aListenerMayReadAndYieldFromItsCallback() {
        TestLeadership leadership = new TestLeadership();
        Recorder recorder = new Recorder();
        leadership.addListener(new LeadershipListener() {
            @Override
            public void granted(LeadershipGrantedEvent event) {
                assertThat(leadership.isLeader()).isTrue();
                leadership.yieldLeadership();
            }
        });
        leadership.addListener(recorder);
        leadership.granted(2);
        assertThat(leadership.handedOver).containsExactly(2L);
        assertThat(recorder.events).containsExactly("granted 2", "revoked 2 YIELDED");
    }

    @Test
    void groupAndMemberIdAreChecked() {
        assertThatIllegalArgumentException().isThrownBy(() -> new AbstractLeadership("test", " ", "m") {
            @Override
            protected void handOver(long term) {
            }

            @Override
            protected void leave() {
            }
        }).withMessageContaining("'group'");
        assertThatIllegalArgumentException().isThrownBy(() -> new AbstractLeadership("test", "g", "") {
            @Override
            protected void handOver(long term) {
            }

            @Override
            protected void leave() {
            }
        }).withMessageContaining("'memberId'");
    }
}
