package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipGrantedEvent;
import dev.ringlock.leader.LeadershipListener;
import dev.ringlock.leader.LeadershipRevokedEvent;
import dev.ringlock.leader.LeadershipRevokedEvent.Reason;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link LeaderElectionProvider} must pass, run against real servers by one subclass per
 * backend: at most one trusted leader, terms strictly increasing in grant order, hand-over at once on a yield
 * or a close, idempotent joins, listeners told of every grant and revoke with its reason, and input checks.
 * <p>
 * Each member is a client of its own from {@link LeaderElectionFixture#createClient()}, standing for a separate
 * process, with a {@link DefaultLeaderElection} on it. Safety is checked from the outside twice: a sampler reads
 * every member's {@link Leadership#isLeader()} concurrently while leadership moves, and an outside log records
 * every grant and revoke with its term and {@link System#nanoTime()}, in the order they happened.
 * <p>
 * A backend runs it with a subclass that registers its server extension and returns its fixture from
 * {@link #fixture()}:
 * <pre>{@code
 * class EtcdLeaderElectionContractTests extends AbstractLeaderElectionContractTests {
 *
 *     @RegisterExtension
 *     static final EtcdServerExtension etcd = new EtcdServerExtension();
 *
 *     private final EtcdLeaderFixture fixture = new EtcdLeaderFixture(etcd);
 *
 *     @Override
 *     protected LeaderElectionFixture fixture() {
 *         return fixture;
 *     }
 * }
 * }</pre>
 */
public abstract class AbstractLeaderElectionContractTests {

    /** One entry of the outside log: a grant or a revoke (with its reason) seen by a member's listener. */
    protected record Entry(String group, String member, boolean grant, long term, @Nullable Reason reason, long nanos) {

        @Override
        public String toString() {
            return (grant ? "grant " : "revoke(" + reason + ") ") + member + " term " + term + " in " + group;
        }
    }

    /** A member: a client of its own (a process) and its election. */
    protected record Member(String id, LeaderElectionProvider client, DefaultLeaderElection election) {

        /** This member's candidacy in {@code group}, joining it if needed. */
        public Leadership in(String group) {
            return election.join(group);
        }
    }

    private final List<Entry> log = Collections.synchronizedList(new ArrayList<>());
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final List<Leadership> direct = new CopyOnWriteArrayList<>();
    private final AtomicInteger groups = new AtomicInteger();
    private volatile String testName = "test";

    /**
     * The backend's hooks; called from tests and from {@code @AfterEach}, so it may return a fixture made in
     * {@code @BeforeAll} or one made with each test instance.
     */
    protected abstract LeaderElectionFixture fixture();

    /** Rounds of hand-over in the safety test; each one a yield or a close and a rejoin. */
    protected int handOverRounds() {
        return 40;
    }

    @BeforeEach
    void rememberTestName(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    @AfterEach
    void leaveAndCloseClients() throws Exception {
        direct.forEach(Leadership::close);
        direct.clear();
        members.forEach(member -> member.election().close());
        AssertionError leftBehind = null;
        for (Member member : members) {
            try {
                fixture().assertNothingLeftBehind(member.client());
            }
            catch (AssertionError ex) {
                leftBehind = leftBehind == null ? ex : leftBehind;
            }
            finally {
                fixture().closeClient(member.client());
            }
        }
        members.clear();
        if (leftBehind != null) {
            throw leftBehind;
        }
    }

    // ----------------------------------------------------------------- helpers for tests and subclasses

    /** A new member on a client of its own, whose grants and revokes go to the outside log. */
    protected final Member member(String id) {
        LeaderElectionProvider client = fixture().createClient();
        Member member = new Member(id, client, new DefaultLeaderElection(id, client, new LeadershipListener() {
            @Override
            public void granted(LeadershipGrantedEvent event) {
                record(event.group(), event.memberId(), true, event.term(), null);
            }

            @Override
            public void revoked(LeadershipRevokedEvent event) {
                record(event.group(), event.memberId(), false, event.term(), event.reason());
            }
        }));
        members.add(member);
        return member;
    }

    /** Appends to the outside log, reading the clock under its lock so that log order and time order agree. */
    private void record(String group, String member, boolean grant, long term, @Nullable Reason reason) {
        synchronized (log) {
            log.add(new Entry(group, member, grant, term, reason, System.nanoTime()));
        }
    }

    /** A group name no other test (or earlier run against the same server) uses. */
    protected final String group(String name) {
        return testName + ":" + name + ":" + groups.incrementAndGet() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The outside log of {@code group}, in the order its entries happened. */
    protected final List<Entry> log(String group) {
        synchronized (log) {
            return log.stream().filter(entry -> entry.group().equals(group)).toList();
        }
    }

    /** Waits for one of {@code candidates} to lead, and returns it; fails if two lead. */
    protected final Member awaitLeader(String group, Duration timeout, List<Member> candidates) {
        AtomicLong found = new AtomicLong(-1);
        await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            List<Member> leading = candidates.stream().filter(m -> m.in(group).isLeader()).toList();
            assertThat(leading).as("members leading '%s'", group).hasSize(1);
            found.set(candidates.indexOf(leading.get(0)));
        });
        return candidates.get((int) found.get());
    }

    /**
     * Checks the outside log of {@code group}: every grant comes after the revoke of the term before it (no two
     * members' leadership overlaps), has a positive term greater than every earlier one, and every revoke ends
     * the open term of the same member.
     * @return the grants, in order
     */
    protected final List<Entry> assertOneLeaderAtATimeWithIncreasingTerms(String group) {
        List<Entry> entries = log(group);
        List<Entry> grants = new ArrayList<>();
        Entry open = null;
        long lastTerm = 0;
        long lastNanos = entries.isEmpty() ? 0 : entries.get(0).nanos();
        for (Entry entry : entries) {
            assertThat(entry.nanos() - lastNanos).as("monotonic time of %s", entry).isGreaterThanOrEqualTo(0);
            lastNanos = entry.nanos();
            if (entry.grant()) {
                assertThat(open).as("%s while %s had not ended", entry, open).isNull();
                assertThat(entry.term()).as("term of %s after term %d", entry, lastTerm).isPositive().isGreaterThan(lastTerm);
                lastTerm = entry.term();
                open = entry;
                grants.add(entry);
            }
            else {
                assertThat(open).as("%s without an open term", entry).isNotNull();
                assertThat(entry.member()).as("member of %s", entry).isEqualTo(open.member());
                assertThat(entry.term()).as("term of %s", entry).isEqualTo(open.term());
                open = null;
            }
        }
        return grants;
    }

    // ----------------------------------------------------------------- a. one leader, and who it is

    @Test
    void exactlyOneOfSeveralMembersLeadsAndTheOthersSeeIt() {
        String group = group("one");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"));
        all.forEach(m -> m.in(group));

        Member leader = awaitLeader(group, fixture().electionTimeout(), all);

        assertThat(leader.in(group).term()).isPositive();
        for (Member other : all) {
            if (other != leader) {
                Leadership follower = other.in(group);
                assertThat(follower.isLeader()).isFalse();
                assertThat(follower.term()).as("term of a member that never led").isZero();
                assertThat(follower.group()).isEqualTo(group);
                assertThat(follower.memberId()).isEqualTo(other.id());
            }
        }
        await().atMost(fixture().electionTimeout()).untilAsserted(() -> all.forEach(m ->
                assertThat(m.in(group).leader()).as("leader seen by %s", m.id()).contains(leader.id())));
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(1);
    }

    // ----------------------------------------------------------------- b. safety while leadership moves

    @Test
    void neverTwoTrustedLeadersAndTermsIncreaseWhileLeadershipMovesAround() throws Exception {
        String group = group("moving");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"), member("member-4"));
        all.forEach(m -> m.in(group));
        sampleWhile(all, group, () -> {
            for (int round = 0; round < handOverRounds(); round++) {
                Member leader = awaitLeader(group, fixture().electionTimeout(), all);
                Leadership leadership = leader.in(group);
                if (round % 2 == 0) {
                    leadership.yieldLeadership();
                }
                else {
                    leadership.close();
                    leader.in(group);
                }
                assertThat(leadership.isLeader()).as("the old leader right after it stepped down").isFalse();
            }
        });
        List<Entry> grants = assertOneLeaderAtATimeWithIncreasingTerms(group);
        assertThat(grants).as("one grant per round and the first").hasSizeGreaterThanOrEqualTo(handOverRounds());
        assertThat(grants.stream().map(Entry::member).distinct()).as("leadership moved between members").hasSizeGreaterThan(1);
    }

    @Test
    void neverTwoTrustedLeadersWhileMembersStepDownAndRejoinConcurrently() throws Exception {
        String group = group("concurrent");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"), member("member-4"));
        AtomicInteger handOvers = new AtomicInteger();
        int target = handOverRounds();
        sampleWhile(all, group, () -> {
            ExecutorService threads = Executors.newFixedThreadPool(all.size());
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    Member member = all.get(i);
                    int first = i;
                    runs.add(threads.submit(() -> {
                        Semaphore grants = new Semaphore(0);
                        LeadershipListener onGrant = new LeadershipListener() {
                            @Override
                            public void granted(LeadershipGrantedEvent event) {
                                grants.release();
                            }
                        };
                        member.in(group).addListener(onGrant);
                        for (int step = first; handOvers.get() < target; ) {
                            Leadership leadership = member.in(group);
                            if (!grants.tryAcquire(100, TimeUnit.MILLISECONDS) || !leadership.isLeader()) {
                                continue;
                            }
                            handOvers.incrementAndGet();
                            if (step++ % 2 == 0) {
                                leadership.yieldLeadership();
                            }
                            else {
                                leadership.close();
                                member.in(group).addListener(onGrant);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(2, TimeUnit.MINUTES);
                }
            }
            finally {
                threads.shutdownNow();
            }
        });
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSizeGreaterThanOrEqualTo(target);
    }

    /** What moves leadership around in {@link #sampleWhile}. */
    @FunctionalInterface
    protected interface Moves {
        void run() throws Exception;
    }

    /**
     * Runs {@code moves} while a sampler thread checks that no two members of {@code group} trust their leadership
     * at once, and fails if they ever did.
     */
    protected final void sampleWhile(List<Member> all, String group, Moves moves) throws Exception {
        AtomicBoolean moving = new AtomicBoolean(true);
        AtomicLong samples = new AtomicLong();
        Queue<String> overlaps = new ConcurrentLinkedQueue<>();
        ExecutorService sampler = Executors.newSingleThreadExecutor();
        CountDownLatch sampling = new CountDownLatch(1);
        Future<?> sampled = sampler.submit(() -> {
            sampling.countDown();
            while (moving.get()) {
                List<String> trusted = trustedThroughout(all, group);
                samples.incrementAndGet();
                if (trusted.size() > 1) {
                    overlaps.add(String.join(" and ", trusted));
                }
            }
        });
        try {
            assertThat(sampling.await(10, TimeUnit.SECONDS)).as("sampler started").isTrue();
            moves.run();
        }
        finally {
            moving.set(false);
            sampled.get(30, TimeUnit.SECONDS);
            sampler.shutdown();
        }
        assertThat(overlaps).as("samples in which two members trusted their leadership at once").isEmpty();
        assertThat(samples.get()).as("samples taken").isPositive();
    }

    /**
     * The members whose leadership is trusted throughout one sample: each candidacy is read twice (term, trust,
     * term), all members in a first pass and again in a second; a candidacy trusted in both reads with one
     * unchanged term was trusted over the time between the passes, which all such candidacies share.
     */
    private static List<String> trustedThroughout(List<Member> all, String group) {
        Map<Leadership, long[]> first = read(all, group);
        Map<Leadership, long[]> second = read(all, group);
        List<String> trusted = new ArrayList<>();
        for (Map.Entry<Leadership, long[]> before : first.entrySet()) {
            long[] after = second.get(before.getKey());
            long[] b = before.getValue();
            if (after != null && b[1] == 1 && after[1] == 1 && b[0] == b[2] && after[0] == after[2] && b[0] == after[0]) {
                trusted.add(before.getKey().memberId() + " (term " + b[0] + ")");
            }
        }
        return trusted;
    }

    private static Map<Leadership, long[]> read(List<Member> all, String group) {
        Map<Leadership, long[]> reads = new IdentityHashMap<>();
        for (Member member : all) {
            for (Leadership leadership : member.election().joined()) {
                if (!leadership.group().equals(group)) {
                    continue;
                }
                long before = leadership.term();
                boolean leading = leadership.isLeader();
                reads.put(leadership, new long[] {before, leading ? 1 : 0, leadership.term()});
            }
        }
        return reads;
    }

    // ----------------------------------------------------------------- c. hand-over

    @Test
    void yieldHandsOverToAnotherMemberAtOnceAndStaysACandidate() {
        String group = group("yield");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, fixture().electionTimeout(), all);
        Leadership yielding = leader.in(group);
        long yieldedTerm = yielding.term();

        yielding.yieldLeadership();

        assertThat(yielding.isLeader()).as("no longer trusted when yieldLeadership() returns").isFalse();
        assertThat(yielding.term()).as("keeps its latest term").isEqualTo(yieldedTerm);
        List<Member> others = all.stream().filter(m -> m != leader).toList();
        Member next = awaitLeader(group, fixture().handOverTimeout(), others);
        assertThat(next.in(group).term()).isGreaterThan(yieldedTerm);
        assertThat(leader.in(group)).as("still the same candidacy").isSameAs(yielding);
        await().atMost(fixture().electionTimeout())
                .untilAsserted(() -> assertThat(yielding.leader()).contains(next.id()));
        assertThat(log(group)).filteredOn(entry -> !entry.grant()).singleElement().satisfies(entry -> {
            assertThat(entry.member()).isEqualTo(leader.id());
            assertThat(entry.term()).isEqualTo(yieldedTerm);
            assertThat(entry.reason()).isEqualTo(Reason.YIELDED);
        });
        assertOneLeaderAtATimeWithIncreasingTerms(group);
    }

    @Test
    void theOnlyCandidateLeadsAgainWithANewTermAfterAYield() {
        String group = group("alone");
        Member alone = member("member-1");
        Leadership leadership = alone.in(group);
        awaitLeader(group, fixture().electionTimeout(), List.of(alone));
        long first = leadership.term();

        leadership.yieldLeadership();

        await().atMost(fixture().handOverTimeout()).until(leadership::isLeader);
        assertThat(leadership.term()).isGreaterThan(first);
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(2);
    }

    @Test
    void yieldOnAFollowerChangesNothing() {
        String group = group("follower-yield");
        List<Member> all = List.of(member("member-1"), member("member-2"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, fixture().electionTimeout(), all);
        Member follower = all.get(0) == leader ? all.get(1) : all.get(0);

        follower.in(group).yieldLeadership();

        assertThat(leader.in(group).isLeader()).isTrue();
        assertThat(follower.in(group).isLeader()).isFalse();
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(1);
    }

    @Test
    void closeHandsOverAtOnceAndALaterJoinStartsANewCandidacy() {
        String group = group("close");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, fixture().electionTimeout(), all);
        Leadership closing = leader.in(group);
        long closedTerm = closing.term();

        closing.close();

        assertThat(closing.isLeader()).as("no longer trusted when close() returns").isFalse();
        assertThat(closing.term()).as("keeps its latest term").isEqualTo(closedTerm);
        closing.close(); // idempotent
        Member next = awaitLeader(group, fixture().handOverTimeout(), all.stream().filter(m -> m != leader).toList());
        assertThat(next.in(group).term()).isGreaterThan(closedTerm);
        assertThat(log(group)).filteredOn(entry -> !entry.grant()).singleElement().satisfies(entry -> {
            assertThat(entry.member()).isEqualTo(leader.id());
            assertThat(entry.term()).isEqualTo(closedTerm);
            assertThat(entry.reason()).isEqualTo(Reason.CLOSED);
        });

        Leadership rejoined = leader.in(group);
        assertThat(rejoined).as("a join after the close").isNotSameAs(closing);
        assertThat(rejoined.isLeader()).as("behind the leader").isFalse();
        assertThat(rejoined.term()).isZero();
        assertThat(leader.election().joined()).containsExactly(rejoined);
        assertOneLeaderAtATimeWithIncreasingTerms(group);
    }

    @Test
    void closeOnAnInterruptedThreadHandsOverAndKeepsTheInterrupt() throws Exception {
        String group = group("interrupted-close");
        List<Member> all = List.of(member("member-1"), member("member-2"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, fixture().electionTimeout(), all);
        Leadership closing = leader.in(group);

        assertThat(InterruptedThread.close(closing)).as("the thread's interrupt, kept through close").isTrue();

        Member next = awaitLeader(group, fixture().handOverTimeout(), all.stream().filter(m -> m != leader).toList());
        assertThat(next.in(group).term()).isGreaterThan(closing.term());
        assertOneLeaderAtATimeWithIncreasingTerms(group);
    }

    @Test
    void aFollowerThatClosesLeavesTheLeaderAlone() {
        String group = group("follower-close");
        List<Member> all = List.of(member("member-1"), member("member-2"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, fixture().electionTimeout(), all);
        Member follower = all.get(0) == leader ? all.get(1) : all.get(0);
        long term = leader.in(group).term();

        follower.in(group).close();

        assertThat(leader.in(group).isLeader()).isTrue();
        assertThat(leader.in(group).term()).isEqualTo(term);
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(1);
    }

    // ----------------------------------------------------------------- d. joins and listeners

    @Test
    void joinIsIdempotentPerGroupUntilTheCandidacyIsClosed() throws Exception {
        Member member = member("member-1");
        String group = group("idempotent");
        ExecutorService joiners = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Leadership>> joins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                joins.add(joiners.submit(() -> {
                    start.await();
                    return member.in(group);
                }));
            }
            start.countDown();
            Set<Leadership> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<Leadership> join : joins) {
                distinct.add(join.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).as("candidacies from concurrent joins of one group").hasSize(1);
            Leadership candidacy = distinct.iterator().next();
            assertThat(member.in(group)).isSameAs(candidacy);
            assertThat(member.in(group("other"))).isNotSameAs(candidacy);
            await().atMost(fixture().electionTimeout()).until(candidacy::isLeader);
            assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).as("one candidacy, one grant").hasSize(1);
        }
        finally {
            joiners.shutdownNow();
        }
    }

    @Test
    void listenersAreToldOfEveryGrantAndRevokeWithTheReason() {
        String group = group("listeners");
        Member member = member("member-1");
        Leadership leadership = member.in(group);
        await().atMost(fixture().electionTimeout()).until(leadership::isLeader);
        List<String> events = new CopyOnWriteArrayList<>();
        leadership.addListener(new LeadershipListener() {
            @Override
            public void granted(LeadershipGrantedEvent event) {
                assertThat(event.group()).isEqualTo(group);
                assertThat(event.memberId()).isEqualTo("member-1");
                events.add("granted " + event.term());
            }

            @Override
            public void revoked(LeadershipRevokedEvent event) {
                assertThat(event.group()).isEqualTo(group);
                assertThat(event.memberId()).isEqualTo("member-1");
                events.add("revoked " + event.term() + " " + event.reason());
            }
        });
        long first = leadership.term();
        assertThat(events).as("a listener added while leading hears of the current term").containsExactly("granted " + first);

        leadership.yieldLeadership();
        await().atMost(fixture().handOverTimeout()).until(leadership::isLeader);
        long second = leadership.term();
        leadership.close();

        assertThat(events).containsExactly("granted " + first, "revoked " + first + " YIELDED", "granted " + second,
                "revoked " + second + " CLOSED");
    }

    // ----------------------------------------------------------------- e. input checks

    @Test
    void blankGroupOrMemberIdIsRefusedNamingTheArgument() {
        LeaderElectionProvider client = member("member-1").client();
        assertThatIllegalArgumentException().isThrownBy(() -> direct.add(client.join(" ", "member-1")))
                .withMessageContaining("'group'");
        assertThatIllegalArgumentException().isThrownBy(() -> direct.add(client.join(group("blank-member"), "")))
                .withMessageContaining("'memberId'");
        assertThatIllegalArgumentException().isThrownBy(() -> new DefaultLeaderElection(" ", client, null))
                .withMessageContaining("'memberId'");
        assertThatIllegalArgumentException().isThrownBy(() -> members.get(0).election().join(""))
                .withMessageContaining("'group'");
        assertThat(members.get(0).election().joined()).isEmpty();
    }

    @Test
    void theProviderNamesItsBackend() {
        assertThat(member("member-1").client().backend()).isNotBlank();
    }
}
