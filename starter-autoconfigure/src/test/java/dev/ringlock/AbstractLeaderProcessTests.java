package dev.ringlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.ringlock.leader.LeadershipRevokedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leader election across real JVMs ({@link LeaderProcessMain}, one candidate each, on one group), per backend: the
 * leader killed with SIGKILL, and the leader frozen with SIGSTOP past its lease or session and thawed with
 * SIGCONT. Each process reports its grants and revokes on stdout, which is this test's outside log of them.
 */
@Tag("fault")
public abstract class AbstractLeaderProcessTests {

    private static final String PREFIX = "ringlock-leader-process";
    /** Room for JVMs starting on a loaded machine where nothing is bounded by the issue. */
    private static final Duration SLACK = Duration.ofSeconds(20);

    private final List<FrozenHolderProcess> processes = new ArrayList<>();
    private final Map<FrozenHolderProcess, String> memberIds = new IdentityHashMap<>();

    /** One process's answer to {@code status}. */
    record Status(boolean leader, long term, int revokes, String leaderSeen) {

        static Status parse(String answer) {
            String[] fields = answer.split(" ");
            assertThat(fields).as("status answer '%s'", answer).hasSize(4);
            return new Status(Boolean.parseBoolean(value(fields[0], "leader")), Long.parseLong(value(fields[1], "term")),
                    Integer.parseInt(value(fields[2], "revokes")), value(fields[3], "leader-seen"));
        }

        private static String value(String field, String name) {
            assertThat(field).startsWith(name + "=");
            return field.substring(name.length() + 1);
        }
    }

    /** The backend's name, as {@link LeaderProcessMain} takes it. */
    protected abstract String backend();

    /** Where the backend's server listens, as {@link LeaderProcessMain} takes it. */
    protected abstract String address();

    /** The Redis lease or the ZooKeeper session timeout the processes use. */
    protected abstract Duration leaseOrSession();

    /** The reason of the revoke a leader gets when its lease or session ended while it was frozen. */
    protected abstract LeadershipRevokedEvent.Reason frozenPastItsTermReason();

    /** The bound for a new leader after the old one died or froze: its lease or session plus 2 s. */
    private Duration newLeaderBound() {
        return leaseOrSession().plusSeconds(2);
    }

    @AfterEach
    void killProcesses() {
        processes.forEach(FrozenHolderProcess::close);
    }

    @Test
    void killingTheLeaderWithSigkillGivesTheLeadershipToAnotherWithinItsLeaseOrSessionPlusTwoSecondsWithALargerTerm()
            throws Exception {
        String group = "killed-" + UUID.randomUUID();
        List<FrozenHolderProcess> members = List.of(start(group, "member-1"), start(group, "member-2"),
                start(group, "member-3"));
        FrozenHolderProcess leader = await().atMost(SLACK).until(() -> leaderOf(members), Optional::isPresent).get();
        long oldTerm = status(leader).term();
        // the event line may follow the answer that saw the grant
        await().atMost(SLACK).until(() -> leader.events().equals(List.of("granted term=" + oldTerm)));
        List<FrozenHolderProcess> survivors = members.stream().filter(member -> member != leader).toList();

        leader.signal("KILL");
        assertThat(leader.awaitExit()).as("killed").isTrue();

        FrozenHolderProcess next = await().atMost(newLeaderBound())
                .until(() -> leaderOf(survivors), Optional::isPresent).get();
        long newTerm = status(next).term();
        assertThat(newTerm).isGreaterThan(oldTerm);
        await().atMost(SLACK).until(() -> next.events().equals(List.of("granted term=" + newTerm)));
        for (FrozenHolderProcess survivor : survivors) {
            if (survivor != next) {
                assertThat(survivor.events()).as("a follower's log").isEmpty();
                await().atMost(SLACK).until(() -> status(survivor).leaderSeen().equals(memberIdOf(next)));
            }
        }
        exitAll(survivors);
    }

    @Test
    void aLeaderFrozenPastItsLeaseOrSessionIsReplacedAndOnThawKnowsAtOnceThatItNoLongerLeadsThenIsRevoked() throws Exception {
        String group = "frozen-" + UUID.randomUUID();
        FrozenHolderProcess frozen = start(group, "member-1");
        await().atMost(SLACK).until(() -> status(frozen).leader());
        long frozenTerm = status(frozen).term();
        FrozenHolderProcess other = start(group, "member-2");
        await().atMost(SLACK).until(() -> status(other).leaderSeen().equals("member-1"));
        assertThat(status(other).leader()).isFalse();

        frozen.signal("STOP");
        // the frozen leader cannot renew: the server lets its lease or session run out, and the other one leads
        Status next = await().atMost(newLeaderBound()).until(() -> status(other), Status::leader);
        assertThat(next.term()).isGreaterThan(frozenTerm);

        frozen.sendWithoutAnswer("status"); // waits in the pipe, read the moment the process thaws
        frozen.signal("CONT");
        Status thawed = Status.parse(frozen.answer());
        // false by its own clock alone, before anything else it runs (revokes=0 in nearly every run; a scheduler
        // that raced ahead of the command would make it 1, which is no less correct)
        assertThat(thawed.leader()).as("isLeader() on thaw").isFalse();
        assertThat(thawed.term()).isEqualTo(frozenTerm);

        // then it is told that the term ended, and, a candidate again, sees the other process leading
        String revoked = "revoked term=" + frozenTerm + " reason=" + frozenPastItsTermReason();
        await().atMost(SLACK).until(() -> frozen.events().contains(revoked));
        await().atMost(SLACK).until(() -> status(frozen).leaderSeen().equals("member-2"));
        assertThat(status(frozen)).isEqualTo(new Status(false, frozenTerm, 1, "member-2"));
        assertThat(frozen.events()).containsExactly("granted term=" + frozenTerm, revoked);
        assertThat(status(other).leader()).as("the thawed process left the new leader alone").isTrue();
        await().atMost(SLACK).until(() -> other.events().equals(List.of("granted term=" + next.term())));
        exitAll(List.of(frozen, other));
    }

    private FrozenHolderProcess start(String group, String memberId) throws Exception {
        FrozenHolderProcess process = FrozenHolderProcess.start(LeaderProcessMain.class, backend(), address(), PREFIX,
                group, memberId, Long.toString(leaseOrSession().toMillis()));
        processes.add(process);
        memberIds.put(process, memberId);
        return process;
    }

    private String memberIdOf(FrozenHolderProcess process) {
        return memberIds.get(process);
    }

    private static Status status(FrozenHolderProcess process) throws Exception {
        return Status.parse(process.send("status"));
    }

    /** The one of {@code candidates} that says it leads, if one does. */
    private static Optional<FrozenHolderProcess> leaderOf(List<FrozenHolderProcess> candidates) throws Exception {
        for (FrozenHolderProcess candidate : candidates) {
            if (status(candidate).leader()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void exitAll(List<FrozenHolderProcess> members) throws Exception {
        for (FrozenHolderProcess member : members) {
            assertThat(member.send("exit")).isEqualTo("bye");
            assertThat(member.awaitExit()).isTrue();
        }
    }
}
