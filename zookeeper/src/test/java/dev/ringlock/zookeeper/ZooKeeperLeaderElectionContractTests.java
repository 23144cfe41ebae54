package dev.ringlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipRevokedEvent.Reason;
import dev.ringlock.testsupport.FaultProxy;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import dev.ringlock.testsupport.ZooKeeperSessions;
import dev.ringlock.testsupport.contract.AbstractLeaderElectionContractTests;
import dev.ringlock.testsupport.contract.LeaderElectionFixture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The leader election contract on {@link ZooKeeperLeaderElectionProvider} against a real (in-process) ZooKeeper
 * server, each client a {@link CuratorFramework} of its own, plus what only ZooKeeper has: a leadership that lives
 * with the session (expired on the server, suspended with the connection, judged on the local clock), and
 * candidate nodes that say who leads.
 */
class ZooKeeperLeaderElectionContractTests extends AbstractLeaderElectionContractTests {

    /** A short tick, so that the server grants (and enforces) the short session below. */
    private static final int TICK_MS = 500;
    private static final int SESSION_TIMEOUT_MS = 4000;

    private static final ZooKeeperPaths PATHS = ZooKeeperLeaderClients.PATHS;

    static {
        // the test server's transaction log need not survive a power cut; without fsync it is much faster
        System.setProperty("zookeeper.forceSync", "no");
    }

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension(TICK_MS);

    private static ScheduledExecutorService scheduler;
    private static CuratorFramework admin;
    /** Closed after the clients behind them, which leave through them. */
    private static final List<FaultProxy> proxies = new CopyOnWriteArrayList<>();

    private final ZooKeeperLeaderClients clients = new ZooKeeperLeaderClients(zookeeper::connectString,
            SESSION_TIMEOUT_MS, () -> new ExponentialBackoffRetry(100, 3), scheduler, () -> admin, Duration.ofSeconds(15));

    @BeforeAll
    static void startSchedulerAndAdmin() {
        scheduler = Executors.newScheduledThreadPool(2);
        admin = curator();
    }

    @AfterAll
    static void closeSchedulerAndAdmin() {
        proxies.forEach(FaultProxy::close);
        if (admin != null) {
            admin.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private static CuratorFramework curator() {
        return TestClients.zookeeper(zookeeper.connectString(), SESSION_TIMEOUT_MS, new ExponentialBackoffRetry(100, 3));
    }

    @Override
    protected LeaderElectionFixture fixture() {
        return clients;
    }

    /** The candidate nodes of {@code group} now, lowest first, as member id by session. */
    private static List<String> candidatesOf(String group) throws Exception {
        String dir = PATHS.leaderDir(group);
        List<String> children = new ArrayList<>(admin.getChildren().forPath(dir));
        children.sort(ZooKeeperPaths.BY_SEQUENCE);
        List<String> candidates = new ArrayList<>();
        for (String child : children) {
            Stat stat = new Stat();
            byte[] data = admin.getData().storingStatIn(stat).forPath(ZKPaths.makePath(dir, child));
            candidates.add(new String(data, StandardCharsets.UTF_8) + "@" + Long.toHexString(stat.getEphemeralOwner()));
        }
        return candidates;
    }

    private CuratorFramework curatorOf(Member member) {
        return ((ZooKeeperLeaderElectionProvider) member.client()).client();
    }

    /** How {@link #candidatesOf} shows {@code member}'s node: its member id by its session. */
    private String candidate(Member member) throws Exception {
        return member.id() + "@" + Long.toHexString(ZooKeeperLeaderClients.sessionOf(curatorOf(member)));
    }

    /** Member 1 leads {@code group}, and member 2 joined behind it and sees it lead. */
    private LeaderAndFollower leaderAndFollower(String group) {
        Member first = member("member-1");
        Leadership leading = first.in(group);
        await().atMost(clients.electionTimeout()).until(leading::isLeader);
        Member second = member("member-2");
        Leadership following = second.in(group);
        await().atMost(clients.electionTimeout()).untilAsserted(() -> assertThat(following.leader()).contains(first.id()));
        return new LeaderAndFollower(first, leading, second, following);
    }

    private record LeaderAndFollower(Member first, Leadership leading, Member second, Leadership following) {
    }

    // ----------------------------------------------------------------- ZooKeeper only

    @Test
    void eachCandidateIsOneNodeHoldingItsMemberIdAndTheLowestLeadsWithItsCzxidAsTerm() throws Exception {
        String group = group("nodes");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"));
        for (Member member : all) {
            member.in(group);
            // joined one after the other, so that the line is in join order
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> candidatesOf(group).size() == all.indexOf(member) + 1);
        }
        Member leader = awaitLeader(group, clients.electionTimeout(), all);

        assertThat(leader).isSameAs(all.get(0));
        List<String> expected = new ArrayList<>();
        for (Member member : all) {
            expected.add(candidate(member));
        }
        assertThat(candidatesOf(group)).as("one node per candidate, in join order").isEqualTo(expected);
        String dir = PATHS.leaderDir(group);
        String lowest = admin.getChildren().forPath(dir).stream().sorted(ZooKeeperPaths.BY_SEQUENCE).findFirst()
                .orElseThrow();
        assertThat(leader.in(group).term()).as("the leader node's czxid")
                .isEqualTo(admin.checkExists().forPath(ZKPaths.makePath(dir, lowest)).getCzxid());
    }

    @Test
    void aLeaderWhoseSessionExpiredOnTheServerIsRevokedAndJoinsAgainBehindTheNextLeader() throws Exception {
        String group = group("expired");
        List<Member> all = List.of(member("member-1"), member("member-2"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, clients.electionTimeout(), all);
        Leadership expiring = leader.in(group);
        long term = expiring.term();
        CuratorFramework curator = curatorOf(leader);
        long oldSession = ZooKeeperLeaderClients.sessionOf(curator);

        ZooKeeperSessions.expire(curator, zookeeper.connectString());

        // the server dropped the session: its candidate node is gone
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(clients.candidateNodes().values().stream()
                .filter(stat -> stat.getEphemeralOwner() == oldSession)).as("nodes of the expired session").isEmpty());
        await().atMost(clients.electionTimeout()).until(() -> log(group).stream().anyMatch(e -> !e.grant()
                && e.member().equals(leader.id()) && e.reason() == Reason.SESSION_EXPIRED));
        Member next = all.get(0) == leader ? all.get(1) : all.get(0);
        Member now = awaitLeader(group, clients.electionTimeout(), all);
        assertThat(now).isSameAs(next);
        assertThat(next.in(group).term()).isGreaterThan(term);
        assertThat(expiring.isLeader()).isFalse();
        assertThat(expiring.term()).as("keeps its latest term").isEqualTo(term);
        // joined again as a candidate, in its new session, behind the new leader
        assertThat(leader.in(group)).as("the same candidacy").isSameAs(expiring);
        await().atMost(clients.electionTimeout()).untilAsserted(() -> {
            long newSession = ZooKeeperLeaderClients.sessionOf(curator);
            assertThat(newSession).isNotEqualTo(oldSession);
            assertThat(candidatesOf(group)).containsExactly(candidate(next),
                    leader.id() + "@" + Long.toHexString(newSession));
        });
        await().atMost(clients.electionTimeout()).untilAsserted(() -> assertThat(expiring.leader()).contains(next.id()));
        // no one-leader-at-a-time check on the log: the session was ended from outside before its timeout, which
        // no real expiry does (the server keeps a session a whole timeout after it last heard the client); terms
        // still increase
        List<Long> grants = log(group).stream().filter(Entry::grant).map(Entry::term).toList();
        assertThat(grants).isSorted().doesNotHaveDuplicates();

        // and it leads again once the new leader steps down
        next.in(group).yieldLeadership();
        await().atMost(clients.handOverTimeout()).until(expiring::isLeader);
        assertThat(expiring.term()).isGreaterThan(next.in(group).term());
    }

    @Test
    void aSuspendedConnectionMakesTheLeaderUntrustedBeforeAnyRevokeAndTheSameSessionTrustsItAgain() throws Exception {
        assumeTrue(zookeeper.server().supportsFaults(), "server supports faults");
        String group = group("suspended");
        Member member = member("member-1");
        Leadership leadership = member.in(group);
        awaitLeader(group, clients.electionTimeout(), List.of(member));
        long term = leadership.term();
        long session = ZooKeeperLeaderClients.sessionOf(curatorOf(member));

        long restarted = System.nanoTime();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(zookeeper.server()::restart);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> !leadership.isLeader());
        // untrusted through the suspension, well before the session could have run out, and without a revoke
        assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofMillis(SESSION_TIMEOUT_MS / 2));
        assertThat(log(group)).filteredOn(entry -> !entry.grant()).as("revokes").isEmpty();
        restart.get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(leadership::isLeader);
        assertThat(ZooKeeperLeaderClients.sessionOf(curatorOf(member))).as("the same session").isEqualTo(session);
        assertThat(leadership.term()).as("the same term").isEqualTo(term);
        assertThat(log(group)).filteredOn(entry -> !entry.grant()).as("revokes").isEmpty();
    }

    @Test
    void aLeaderCutOffByABlackHoleStopsTrustingBeforeAnyRevokeAndIsReplacedOnceItsSessionExpires() throws Exception {
        String[] server = zookeeper.connectString().split(":");
        FaultProxy proxy = FaultProxy.start(server[0], Integer.parseInt(server[1]));
        proxies.add(proxy);
        String group = group("black-hole");
        clients.connectNextThrough(proxy.host() + ":" + proxy.port());
        Member cut = member("member-1");
        Leadership cutOff = cut.in(group);
        await().atMost(clients.electionTimeout()).until(cutOff::isLeader);
        Member other = member("member-2");
        Leadership next = other.in(group);
        await().atMost(clients.electionTimeout()).untilAsserted(() -> assertThat(next.leader()).contains(cut.id()));
        long term = cutOff.term();
        long oldSession = ZooKeeperLeaderClients.sessionOf(curatorOf(cut));

        sampleWhile(List.of(cut, other), group, () -> {
            proxy.blackHole();

            // no answer reaches it: it stops trusting (suspended, or its last confirmation runs out) long before
            // it can learn that its session is gone, and before the server lets anyone else lead
            await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS * 2)).pollInterval(Duration.ofMillis(1))
                    .until(() -> !cutOff.isLeader());
            assertThat(log(group)).filteredOn(entry -> !entry.grant()).as("revokes once untrusted").isEmpty();

            // the server expires the silent session a timeout after it last heard it: the other member leads
            await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS * 3)).until(next::isLeader);
            assertThat(next.term()).isGreaterThan(term);
            assertThat(clients.candidateNodes().values().stream().filter(stat -> stat.getEphemeralOwner() == oldSession))
                    .as("nodes of the cut-off session").isEmpty();

            proxy.heal();

            // back in touch: told that its session expired, it joins again behind the new leader
            await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS * 3)).until(() -> log(group).stream().anyMatch(e ->
                    !e.grant() && e.member().equals(cut.id()) && e.reason() == Reason.SESSION_EXPIRED));
            await().atMost(clients.electionTimeout()).untilAsserted(() -> assertThat(candidatesOf(group))
                    .containsExactly(candidate(other),
                            candidate(cut)));
            assertThat(cutOff.isLeader()).isFalse();
        });
        List<Long> grants = log(group).stream().filter(Entry::grant).map(Entry::term).toList();
        assertThat(grants).hasSize(2).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aCandidateNodeWhoseCreateAnswerWasLostIsFoundAgainAndIsTheOnlyOneOfItsCandidacy() throws Exception {
        String[] server = zookeeper.connectString().split(":");
        FaultProxy proxy = FaultProxy.start(server[0], Integer.parseInt(server[1]));
        proxies.add(proxy);
        String group = group("lost-answer");
        Member first = member("member-1");
        Leadership leading = first.in(group);
        await().atMost(clients.electionTimeout()).until(leading::isLeader);
        clients.connectNextThrough(proxy.host() + ":" + proxy.port());
        Member late = member("member-2");
        long session = ZooKeeperLeaderClients.sessionOf(curatorOf(late));

        // the create reaches the server, its answer is held back and then lost with the connection
        proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofSeconds(3));
        Leadership candidacy = late.in(group);
        await().atMost(Duration.ofSeconds(5)).until(() -> candidatesOf(group).size() == 2);
        proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ZERO);
        proxy.drop();

        // found again by name in the same session, not created a second time
        await().atMost(clients.electionTimeout()).untilAsserted(() -> assertThat(candidacy.leader()).contains(first.id()));
        assertThat(ZooKeeperLeaderClients.sessionOf(curatorOf(late))).as("the same session").isEqualTo(session);
        assertThat(candidatesOf(group)).containsExactly(
                candidate(first),
                late.id() + "@" + Long.toHexString(session));

        leading.yieldLeadership();
        await().atMost(clients.handOverTimeout()).until(candidacy::isLeader);
        String dir = PATHS.leaderDir(group);
        String lowest = admin.getChildren().forPath(dir).stream().sorted(ZooKeeperPaths.BY_SEQUENCE).findFirst()
                .orElseThrow();
        assertThat(candidacy.term()).as("the found node's czxid")
                .isEqualTo(admin.checkExists().forPath(ZKPaths.makePath(dir, lowest)).getCzxid());
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(2);
    }

    @Test
    void aStrayNodeOfACandidacyThatIsNotItsCurrentOneIsDeletedWhenTheCandidacyLooksAtTheLine() throws Exception {
        String group = group("stray");
        LeaderAndFollower two = leaderAndFollower(group);
        String dir = PATHS.leaderDir(group);
        String secondsNode = admin.getChildren().forPath(dir).stream().sorted(ZooKeeperPaths.BY_SEQUENCE)
                .reduce((a, b) -> b).orElseThrow();
        // a protected name: "_c_", Curator's id and "-", then the candidacy's id, then "-" and the sequence
        String candidacyId = secondsNode.substring(3 + 37, 3 + 37 + 36);
        // what a create whose answer was lost for good leaves: a second node named for the same candidacy
        String stray = admin.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(ZKPaths.makePath(dir, "_c_" + UUID.randomUUID() + "-" + candidacyId + "-"),
                        two.second().id().getBytes(StandardCharsets.UTF_8));

        two.leading().yieldLeadership();

        await().atMost(clients.handOverTimeout()).until(two.following()::isLeader);
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.checkExists().forPath(stray) == null);
        assertThat(candidatesOf(group)).containsExactly(candidate(two.second()), candidate(two.first()));
    }

    /**
     * A yield is one write: the leader node's deletion and the new node at the back share one zxid. A deletion and
     * then a create would hold the next candidate's look at the line behind the create's log sync.
     */
    @Test
    void aYieldReplacesTheLeaderNodeByOneAtTheBackOfTheLineInOneWrite() throws Exception {
        String group = group("replace");
        LeaderAndFollower two = leaderAndFollower(group);
        String dir = PATHS.leaderDir(group);
        String yielded = admin.getChildren().forPath(dir).stream().sorted(ZooKeeperPaths.BY_SEQUENCE).findFirst()
                .orElseThrow();
        // the last write before the yield (the candidacies write nothing until it): the yield's zxid comes next
        Stat marker = new Stat();
        admin.create().storingStatIn(marker).withMode(CreateMode.EPHEMERAL).forPath("/" + group + "-zxid-marker");

        two.leading().yieldLeadership();

        await().atMost(clients.handOverTimeout()).until(two.following()::isLeader);
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.getChildren().forPath(dir).size() == 2);
        List<String> line = new ArrayList<>(admin.getChildren().forPath(dir));
        line.sort(ZooKeeperPaths.BY_SEQUENCE);
        assertThat(line).as("the yielded node is gone").doesNotContain(yielded);
        assertThat(candidatesOf(group)).containsExactly(candidate(two.second()), candidate(two.first()));
        assertThat(admin.checkExists().forPath(ZKPaths.makePath(dir, line.get(1))).getCzxid())
                .as("the new node's zxid: the next after the marker's, so the yield's only write")
                .isEqualTo(marker.getCzxid() + 1);
    }

    /**
     * A client that is still connecting has no session yet: a group joined the moment it starts, as a plain Spring
     * application without Boot's wait for the connection does, is led once the client connects.
     */
    @Test
    void aGroupJoinedWhileTheClientIsStillConnectingIsLedOnceItConnects() throws Exception {
        String[] server = zookeeper.connectString().split(":");
        FaultProxy slow = FaultProxy.start(server[0], Integer.parseInt(server[1]));
        proxies.add(slow);
        // the server's answers, the one granting the session first, arrive late: the client is still connecting
        // when the group is joined
        slow.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(300));
        CuratorFramework connecting = CuratorFrameworkFactory.builder().connectString(slow.host() + ":" + slow.port())
                .sessionTimeoutMs(SESSION_TIMEOUT_MS).retryPolicy(new ExponentialBackoffRetry(100, 5)).build();
        connecting.start();
        ZooKeeperLeaderElectionProvider provider = new ZooKeeperLeaderElectionProvider(connecting, PATHS, scheduler);
        try {
            provider.afterPropertiesSet();
            String group = group("connecting");
            Leadership leadership = provider.join(group, "member-1");
            assertThat(connecting.getZookeeperClient().isConnected()).as("still connecting at the join").isFalse();

            await().atMost(clients.electionTimeout()).until(leadership::isLeader);
            assertThat(candidatesOf(group)).containsExactly(
                    "member-1@" + Long.toHexString(ZooKeeperLeaderClients.sessionOf(connecting)));
            // and still trusted a session timeout later: the session checks started with the connection
            await().during(Duration.ofMillis(SESSION_TIMEOUT_MS + 1000)).atMost(Duration.ofMillis(SESSION_TIMEOUT_MS * 2))
                    .pollInterval(Duration.ofMillis(50)).until(leadership::isLeader);
            leadership.close();
            assertThat(provider.keepsNothing()).as(provider.leftBehind()).isTrue();
        }
        finally {
            provider.destroy();
            connecting.close();
        }
    }

    @Test
    void aLeaderWhoseCuratorClientIsClosedUnderItIsRevokedWithSessionExpired() throws Exception {
        String group = group("client-closed");
        List<Member> all = List.of(member("member-1"), member("member-2"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, clients.electionTimeout(), all);
        Leadership closedUnder = leader.in(group);
        Member other = all.get(0) == leader ? all.get(1) : all.get(0);

        // closing the client ends its session on the server at once: the other member leads
        curatorOf(leader).close();

        await().atMost(clients.electionTimeout()).until(other.in(group)::isLeader);
        // the server tells the closing client of its node's deletion; failing that, the next session check (a
        // third of the timeout later) finds the client closed
        await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS)).until(() -> log(group).stream().anyMatch(e ->
                !e.grant() && e.member().equals(leader.id()) && e.reason() == Reason.SESSION_EXPIRED));
        assertThat(closedUnder.isLeader()).isFalse();
        assertThat(other.in(group).term()).isGreaterThan(closedUnder.term());
    }

    @Test
    void aFollowerFurtherDownTheLineLearnsOfANewLeaderAtTheNextSessionCheck() throws Exception {
        String group = group("down-the-line");
        List<Member> all = List.of(member("member-1"), member("member-2"), member("member-3"));
        for (Member member : all) {
            member.in(group);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> candidatesOf(group).size() == all.indexOf(member) + 1);
        }
        Leadership first = all.get(0).in(group);
        Leadership third = all.get(2).in(group);
        await().atMost(clients.electionTimeout()).until(first::isLeader);
        await().atMost(clients.electionTimeout()).untilAsserted(() -> assertThat(third.leader()).contains("member-1"));

        // the second one's watch fires; the third one watches the second, which stays
        first.yieldLeadership();

        await().atMost(clients.handOverTimeout()).until(all.get(1).in(group)::isLeader);
        await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS)).untilAsserted(() ->
                assertThat(third.leader()).contains("member-2"));
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(2);
    }

    @Test
    void aLeaderWhoseSessionIsNoLongerConfirmedStopsTrustingItOnTheLocalClock() throws Exception {
        String group = group("frozen");
        List<Member> all = List.of(member("member-1"), member("member-2"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, clients.electionTimeout(), all);
        Leadership leadership = leader.in(group);
        ZooKeeperLeaderElectionProvider provider = (ZooKeeperLeaderElectionProvider) leader.client();
        long sessionTimeout = curatorOf(leader).getZookeeperClient().getZooKeeper().getSessionTimeout();
        // no confirmations from now on, as in a process frozen by a GC pause or SIGSTOP; the client itself stays
        // connected, so only the local clock can tell that the session is no longer vouched for
        provider.pauseSessionChecksForTests(true);
        long paused = System.nanoTime();
        try {
            Duration fromPause = Duration.ofNanos(System.nanoTime() - paused);
            await().pollDelay(Duration.ofMillis(sessionTimeout).minus(fromPause))
                    .atMost(Duration.ofMillis(sessionTimeout + 200).minus(fromPause)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !leadership.isLeader());
            assertThat(curatorOf(leader).getZookeeperClient().isConnected()).isTrue();
            assertThat(log(group)).filteredOn(entry -> !entry.grant()).as("nothing is known revoked").isEmpty();
        }
        finally {
            provider.pauseSessionChecksForTests(false);
        }
        // the session and its node are still there: the next confirmation vouches for the term again
        await().atMost(Duration.ofMillis(sessionTimeout)).until(leadership::isLeader);
        assertThat(assertOneLeaderAtATimeWithIncreasingTerms(group)).hasSize(1);
    }

    @Test
    void aLeaderNodeDeletedBySomeoneElseEndsTheTermAndTheCandidacyJoinsAgain() throws Exception {
        String group = group("deleted");
        List<Member> all = List.of(member("member-1"), member("member-2"));
        all.forEach(m -> m.in(group));
        Member leader = awaitLeader(group, clients.electionTimeout(), all);
        long term = leader.in(group).term();
        String dir = PATHS.leaderDir(group);
        String lowest = admin.getChildren().forPath(dir).stream().sorted(ZooKeeperPaths.BY_SEQUENCE).findFirst()
                .orElseThrow();

        admin.delete().forPath(ZKPaths.makePath(dir, lowest));

        await().atMost(Duration.ofSeconds(5)).until(() -> log(group).stream().anyMatch(e -> !e.grant()
                && e.member().equals(leader.id()) && e.reason() == Reason.LEASE_LOST));
        Member next = awaitLeader(group, clients.electionTimeout(), all);
        assertThat(next).isNotSameAs(leader);
        assertThat(next.in(group).term()).isGreaterThan(term);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(candidatesOf(group)).hasSize(2));
    }

    @Test
    void fiftyGroupsJoinedOnOneClientStartNoThread() throws Exception {
        Member member = member("member-1");
        // the first join starts what every later one shares: the session check, the scheduler's threads
        Leadership first = member.in(group("warm-up"));
        await().atMost(clients.electionTimeout()).pollInSameThread().until(first::isLeader);
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        List<Leadership> joined = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            joined.add(member.in(group("many-" + i)));
        }
        await().atMost(clients.electionTimeout()).pollInSameThread().until(() -> joined.stream().allMatch(Leadership::isLeader));

        // the in-process server's workers start on demand as requests come in: the server's, not the client's
        Set<String> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .filter(Thread::isAlive).map(Thread::getName).filter(name -> !name.startsWith("NIOWorkerThread-"))
                .collect(Collectors.toSet());
        assertThat(started).as("threads started by 50 joins").isEmpty();
    }
}
