package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.support.DueActions;
import dev.ringlock.support.Identifiers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Leader election on ZooKeeper, with the protocol of ZooKeeper's leader-election recipe.
 * <ul>
 * <li>Each candidacy creates an ephemeral sequential candidate node under {@code /<prefix>/leader/<group>}
 * ({@link ZooKeeperPaths#leaderDir}), holding the member id in UTF-8, in Curator's protected mode (a create
 * whose answer was lost to a connection drop is found again, or deleted, never left as a second candidate). The
 * lowest node leads; every other candidate watches only its predecessor, so a leader that goes wakes exactly
 * one candidate. Followers read the lowest node's data to report {@link Leadership#leader()} whenever they look
 * at the candidates: at their join, when their predecessor changes, and at each session check (a third of the
 * session timeout), so a follower further down the line learns of a new leader within that.</li>
 * <li>The term is the leader node's {@code czxid}. Zxids only grow, across ZooKeeper leader elections too, and the
 * next leader's node was created after the previous leader's; a yield replaces the node by a new one at the back
 * (one transaction), so even the only candidate is granted a larger term.</li>
 * <li>A leader trusts its term as a lock holder trusts its lock ({@link ZooKeeperSessionMonitor}): until the request
 * the server last answered in its session was sent, plus the session timeout, minus the lock margin. So a leader
 * frozen past its session sees {@link Leadership#isLeader()} false when it resumes. {@code SUSPENDED} makes it
 * false until {@code RECONNECTED} with the same session; {@code LOST}, or a new session, revokes the term with
 * {@code SESSION_EXPIRED}, and the candidacy joins again with a new node in the new session. A leader node deleted
 * by someone else revokes the term with {@code LEASE_LOST} (a watch on the leader's own node).</li>
 * <li>{@code yieldLeadership()} and {@code close()} delete the node, which hands over at once.</li>
 * </ul>
 * No thread of its own: background requests whose answers run on the shared scheduler, Curator's watches, and one
 * sweep on the scheduler for the retries of failed steps ({@link DueActions}).
 */
public final class ZooKeeperLeaderElectionProvider implements LeaderElectionProvider, InitializingBean, DisposableBean {

    private static final Log logger = LogFactory.getLog(ZooKeeperLeaderElectionProvider.class);

    /** How long a candidacy waits before it starts again after a failed request. */
    static final Duration RETRY_DELAY = Duration.ofMillis(250);

    private final CuratorFramework client;
    private final ZooKeeperPaths paths;
    private final ScheduledExecutorService scheduler;
    private final ZooKeeperSessionMonitor<ZooKeeperLeadership> sessions;
    private final DueActions<ZooKeeperLeadership> retries;
    private final Set<ZooKeeperLeadership> candidacies = ConcurrentHashMap.newKeySet();
    private volatile boolean destroyed;

    /**
     * @param client a started client
     * @param scheduler the shared scheduler that confirms sessions and handles answers; not shut down here
     */
    public ZooKeeperLeaderElectionProvider(CuratorFramework client, ZooKeeperPaths paths,
            ScheduledExecutorService scheduler) {
        this.client = Objects.requireNonNull(client, "client");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.sessions = new ZooKeeperSessionMonitor<>(client, scheduler);
        this.retries = new DueActions<>(scheduler, TimeUnit.MILLISECONDS.toNanos(10), ZooKeeperLeadership::reconcile);
    }

    @Override
    public void afterPropertiesSet() {
        sessions.start();
    }

    /** Leaves every election still joined, then stops watching the session. */
    @Override
    public void destroy() {
        destroyed = true;
        for (ZooKeeperLeadership candidacy : List.copyOf(candidacies)) {
            candidacy.close();
        }
        sessions.stop();
    }

    @Override
    public String backend() {
        return ZooKeeperBackend.NAME;
    }

    @Override
    public Leadership join(String group, String memberId) {
        Identifiers.requireValid("group", group);
        Identifiers.requireValid("memberId", memberId);
        if (destroyed) {
            throw new IllegalStateException("The ZooKeeper leader election was shut down; cannot join group '"
                    + group + "'");
        }
        ZooKeeperLeadership candidacy = new ZooKeeperLeadership(this, group, memberId, paths.leaderDir(group));
        candidacies.add(candidacy);
        sessions.register(candidacy);
        candidacy.create();
        return candidacy;
    }

    // ----------------------------------------------------------------- for the candidacies

    ZooKeeperSessionMonitor.Session session() throws Exception {
        return sessions.session();
    }

    void sendCreate(String path, byte[] data, Consumer<CuratorEvent> answer) throws Exception {
        client.create().storingStatIn(new Stat()).creatingParentContainersIfNeeded().withProtection()
                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL).inBackground((c, event) -> answer.accept(event), scheduler)
                .forPath(path, data);
    }

    /**
     * Deletes {@code oldPath} and creates a new candidate node as {@link #sendCreate} does, in one transaction. Not
     * in protected mode, which transactions lack: a replacement whose answer is lost leaves a node found again by
     * the candidacy's id in its name. The answer is handed to the scheduler here: Curator's transaction builder
     * (5.9) keeps an executor given to {@code inBackground} as the callback's context and answers on its event
     * thread.
     */
    void sendReplace(String oldPath, String newPath, byte[] data, Consumer<CuratorEvent> answer) throws Exception {
        client.transaction().inBackground((c, event) -> runAside(() -> answer.accept(event))).forOperations(
                client.transactionOp().delete().forPath(oldPath),
                client.transactionOp().create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(newPath, data));
    }

    void sendStat(String path, Consumer<CuratorEvent> answer) throws Exception {
        client.checkExists().inBackground((c, event) -> answer.accept(event), scheduler).forPath(path);
    }

    void sendChildren(String dir, Consumer<CuratorEvent> answer) throws Exception {
        client.getChildren().inBackground((c, event) -> answer.accept(event), scheduler).forPath(dir);
    }

    void sendData(String path, Consumer<CuratorEvent> answer) throws Exception {
        client.getData().inBackground((c, event) -> answer.accept(event), scheduler).forPath(path);
    }

    void watchData(String path, Watcher watcher, Consumer<CuratorEvent> answer) throws Exception {
        client.getData().usingWatcher(watcher).inBackground((c, event) -> answer.accept(event), scheduler)
                .forPath(path);
    }

    /** Takes a watch back that is no longer needed, so that the server does not keep it. */
    void removeWatch(String path, Watcher watcher) {
        if (!clientStarted()) {
            return;
        }
        try {
            client.watchers().remove(watcher).ofType(Watcher.WatcherType.Data).quietly().inBackground().forPath(path);
        }
        catch (Exception ignore) {
            // the watch fires once at the predecessor's deletion and is gone; our watcher then does nothing
        }
    }

    /** Deletes a node in the background; guaranteed: Curator retries it for as long as the session lives. */
    void deleteQuietly(String path) {
        if (!clientStarted()) {
            return; // with the client closed, its session and the node are gone already
        }
        try {
            client.delete().guaranteed().inBackground().forPath(path);
        }
        catch (Exception ignore) {
            // guaranteed delete retries by itself; the node also ends with the session
        }
    }

    /**
     * Deletes a leaving candidacy's node before returning, so that the next candidate leads at once and before
     * the client may be closed; guaranteed, so that a delete cut off by a connection loss is retried in the
     * background for as long as the session lives.
     */
    void delete(String path, ZooKeeperLeadership candidacy) {
        if (!clientStarted()) {
            return;
        }
        try {
            client.delete().guaranteed().forPath(path);
        }
        catch (KeeperException.NoNodeException ignore) {
            // gone already with its session, or deleted by someone else
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not delete the candidate node " + path + " of member '"
                    + candidacy.memberId() + "' in group '" + candidacy.group() + "' on zookeeper; Curator retries it"
                    + " while the session lives: " + ex, ex);
        }
    }

    /** Runs {@code task} on the shared scheduler: answers and session events may call the listeners. */
    void runAside(Runnable task) {
        try {
            scheduler.execute(() -> {
                try {
                    task.run();
                }
                catch (RuntimeException ex) {
                    logger.warn("ZooKeeper leader election step failed", ex);
                }
            });
        }
        catch (RejectedExecutionException ignore) {
            // the scheduler is shutting down with the application: the sessions end with it
        }
    }

    boolean clientStarted() {
        return client.getState() == CuratorFrameworkState.STARTED;
    }

    void retryLater(ZooKeeperLeadership candidacy) {
        retries.add(candidacy, System.nanoTime() + RETRY_DELAY.toNanos());
    }

    /** Stops every retry and session notification of a closed candidacy. */
    void forget(ZooKeeperLeadership candidacy) {
        candidacies.remove(candidacy);
        sessions.unregister(candidacy);
        retries.remove(candidacy);
    }

    // ----------------------------------------------------------------- for tests

    /** Stops (or restarts) confirming sessions, as if this process were frozen; for fault tests. */
    void pauseSessionChecksForTests(boolean pause) {
        sessions.pauseForTests(pause);
    }

    /** What this provider still keeps for closed candidacies; for tests that check nothing is left behind. */
    String leftBehind() {
        return "candidacies " + candidacies.size() + ", session-bound " + sessions.registered() + ", retries "
                + retries.size();
    }

    boolean keepsNothing() {
        return candidacies.isEmpty() && sessions.registered() == 0 && retries.size() == 0;
    }

    CuratorFramework client() {
        return client;
    }
}
