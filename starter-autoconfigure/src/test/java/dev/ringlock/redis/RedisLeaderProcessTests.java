package dev.ringlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.ringlock.FrozenHolderProcess;
import dev.ringlock.LeaderProcessMain;
import dev.ringlock.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis leader election across real JVMs ({@link LeaderProcessMain}, one candidate each, on one group): the leader
 * killed with SIGKILL, and the leader frozen with SIGSTOP past its lease and thawed with SIGCONT. Each process
 * reports its grants and revokes on stdout, which is this test's outside log of them.
 */
@Tag("fault")
class RedisLeaderProcessTests {

    private static final String PREFIX = "ringlock-leader-process";
    private static final Duration LEASE = Duration.ofMillis(1500);
    /** The bound for a new leader after the old one died or froze: its lease plus 2 s. */
    private static final Duration NEW_LEADER_BOUND = LEASE.plusSeconds(2);
    /** Room for JVMs starting on a loaded machine where nothing is bounded by the issue. */
    private static final Duration SLACK = Duration.ofSeconds(20);

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

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

    @AfterEach
    void killProcesses() {
        processes.forEach(FrozenHolderProcess::close);
    }

    @Test
    void killingTheLeaderWithSigkillGivesTheLeadershipToAnotherWithinTheLeasePlusTwoSecondsWithALargerTerm()
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

        FrozenHolderProcess next = await().atMost(NEW_LEADER_BOUND)
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
    void aLeaderFrozenPastItsLeaseIsReplacedAndOnThawKnowsAtOnceThatItNoLongerLeadsThenIsRevoked() throws Exception {
        String group = "frozen-" + UUID.randomUUID();
        FrozenHolderProcess frozen = start(group, "member-1");
        await().atMost(SLACK).until(() -> status(frozen).leader());
        long frozenTerm = status(frozen).term();
        FrozenHolderProcess other = start(group, "member-2");
        await().atMost(SLACK).until(() -> status(other).leaderSeen().equals("member-1"));
        assertThat(status(other).leader()).isFalse();

        frozen.signal("STOP");
        // the frozen leader cannot renew: the server lets its lease run out, and the other process takes the key
        Status next = await().atMost(NEW_LEADER_BOUND).until(() -> status(other), Status::leader);
        assertThat(next.term()).isGreaterThan(frozenTerm);

        frozen.sendWithoutAnswer("status"); // waits in the pipe, read the moment the process thaws
        frozen.signal("CONT");
        Status thawed = Status.parse(frozen.answer());
        // false by its own clock alone, before anything else it runs (revokes=0 in nearly every run; a scheduler
        // that raced ahead of the command would make it 1, which is no less correct)
        assertThat(thawed.leader()).as("isLeader() on thaw").isFalse();
        assertThat(thawed.term()).isEqualTo(frozenTerm);

        // then its deadline check revokes the term, and its next try finds the other process leading
        await().atMost(SLACK).until(() -> frozen.events().contains(
                "revoked term=" + frozenTerm + " reason=LEASE_LOST"));
        await().atMost(SLACK).until(() -> status(frozen).leaderSeen().equals("member-2"));
        assertThat(status(frozen)).isEqualTo(new Status(false, frozenTerm, 1, "member-2"));
        assertThat(frozen.events()).containsExactly("granted term=" + frozenTerm,
                "revoked term=" + frozenTerm + " reason=LEASE_LOST");
        assertThat(status(other).leader()).as("the thawed process left the new leader alone").isTrue();
        await().atMost(SLACK).until(() -> other.events().equals(List.of("granted term=" + next.term())));
        exitAll(List.of(frozen, other));
    }

    private FrozenHolderProcess start(String group, String memberId) throws Exception {
        FrozenHolderProcess process = FrozenHolderProcess.start(LeaderProcessMain.class, "redis",
                redisServer.host() + ":" + redisServer.port(), PREFIX, group, memberId,
                Long.toString(LEASE.toMillis()));
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
