package dev.ringlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringlock.leader.AbstractLeadership;
import dev.ringlock.leader.LeadershipRevokedEvent.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * One candidacy in a ZooKeeper leader election ({@link ZooKeeperLeaderElectionProvider}): an ephemeral sequential
 * candidate node, watching its predecessor, leading while its node is the lowest.
 * <p>
 * Every step is a background request whose answer is handled on the shared scheduler, never on Curator's event
 * thread (the answer may call listeners, which may close the candidacy). Answers may arrive late or out of
 * order, so each one is checked against what holds now: the node it is about must still be this candidacy's
 * current node, and a grant's term (the node's {@code czxid}) must be greater than every term granted before.
 * The decisions taken on answers and session events are serialised by {@link #decisions}; {@link #handOver} and
 * {@link #leave}, which may run inside a listener called under it, never take it (lock order: {@link #decisions},
 * then the state of {@link AbstractLeadership}).
 * <p>
 * A step that fails (connection loss once Curator's retries are spent) is retried after
 * {@link ZooKeeperLeaderElectionProvider#RETRY_DELAY}, and at the next reconnection: it starts again from what the
 * server holds (create the node if there is none, else list the candidates), so nothing is believed that the
 * server did not answer; a follower also lists them at each session check. Every node name carries this candidacy's id, so a node of ours that is not the current
 * one (a create or a yield's replacement whose answer was lost, a delete that did not arrive) is deleted when seen.
 */
final class ZooKeeperLeadership extends AbstractLeadership implements ZooKeeperSessionMonitor.SessionBound {

    private static final Log logger = LogFactory.getLog(ZooKeeperLeadership.class);

    private final ZooKeeperLeaderElectionProvider provider;
    private final String dir;
    /** In the name of every node of this candidacy, to tell them from the others'. */
    private final String candidacyId = UUID.randomUUID().toString();
    private final byte[] data;
    /** Serialises decisions on answers and session events; see the class comment for the lock order. */
    private final Object decisions = new Object();
    /** One create at a time. */
    private final AtomicBoolean creating = new AtomicBoolean();
    /** The current candidate node, as the server answered its create; null while there is none (or not yet). */
    private final AtomicReference<@Nullable Node> node = new AtomicReference<>();
    /** Looks at the candidates again when the watched predecessor changes. */
    private final Watcher predecessorWatcher;
    /** Watches a leader's own node, so that a deletion by someone else ends the term. */
    private final Watcher ownNodeWatcher;
    private volatile @Nullable String watchedPredecessor;

    /** A candidate node of this candidacy, as the server created it: its session and its {@code czxid} (the term). */
    record Node(String path, String name, long czxid, long sessionId) {
    }

    ZooKeeperLeadership(ZooKeeperLeaderElectionProvider provider, String group, String memberId, String dir) {
        super(ZooKeeperBackend.NAME, group, memberId);
        this.provider = provider;
        this.dir = dir;
        this.data = memberId.getBytes(StandardCharsets.UTF_8);
        this.predecessorWatcher = event -> lookAgain();
        this.ownNodeWatcher = event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                provider.runAside(() -> nodeDeleted(event.getPath()));
            }
        };
    }

    // ----------------------------------------------------------------- the steps

    /** Starts again from what the server holds: a node if there is none, else a look at the candidates. */
    void reconcile() {
        if (!isOpen()) {
            return;
        }
        Node current = node.get();
        if (current == null) {
            create();
        }
        else {
            look(current);
        }
    }

    /** Creates a new candidate node at the back of the line, unless a create is under way. */
    void create() {
        if (!isOpen() || !creating.compareAndSet(false, true)) {
            return;
        }
        try {
            provider.sendCreate(ZKPaths.makePath(dir, candidacyId + "-"), data, this::created);
        }
        catch (Exception ex) {
            creating.set(false);
            failed("creating its candidate node", ex);
        }
    }

    private void created(CuratorEvent event) {
        if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
            // in protected mode Curator found the node if the create had reached the server, and deletes it when
            // its retries are spent; nothing of ours is left behind
            creating.set(false);
            failed("creating its candidate node", KeeperException.create(KeeperException.Code.get(event.getResultCode())));
            return;
        }
        createdAs(event.getName(), event.getStat());
    }

    /** The answer to a yield's replacement of the node: the new node is adopted, or created anew if none was. */
    private void replaced(String yieldedPath, CuratorEvent event) {
        if (event.getResultCode() != KeeperException.Code.OK.intValue() || event.getOpResults() == null) {
            // nothing was replaced (the node was gone already, or the connection was lost): the yielded node goes
            // as any other, and the candidacy joins again; a replacement that did reach the server left a node of
            // ours that is not the current one, deleted when seen
            creating.set(false);
            provider.deleteQuietly(yieldedPath);
            create();
            return;
        }
        for (CuratorTransactionResult result : event.getOpResults()) {
            if (result.getType() == OperationType.CREATE) {
                createdAs(result.getResultPath(), result.getResultStat());
                return;
            }
        }
        creating.set(false);
        failed("replacing its candidate node", null);
    }

    private void createdAs(String path, @Nullable Stat stat) {
        if (stat != null && stat.getCzxid() != 0) {
            adopt(path, stat);
            return;
        }
        // found again by name after a lost answer (protected mode): read its stat
        try {
            provider.sendStat(path, answer -> {
                if (answer.getResultCode() == KeeperException.Code.OK.intValue() && answer.getStat() != null) {
                    adopt(path, answer.getStat());
                }
                else {
                    creating.set(false);
                    failed("reading its new candidate node " + path, null);
                }
            });
        }
        catch (Exception ex) {
            creating.set(false);
            failed("reading its new candidate node " + path, ex);
        }
    }

    private void adopt(String path, Stat stat) {
        Node created = new Node(path, ZKPaths.getNodeFromPath(path), stat.getCzxid(), stat.getEphemeralOwner());
        synchronized (decisions) {
            node.set(created);
            creating.set(false);
        }
        if (!isOpen() && node.compareAndSet(created, null)) {
            // closed while the create was under way: leave() found no node to delete
            provider.deleteQuietly(path);
            return;
        }
        look(created);
    }

    private void lookAgain() {
        Node current = node.get();
        if (current != null && isOpen()) {
            look(current);
        }
    }

    /**
     * Lists the candidates: the lowest leads, every other watches its predecessor. Only sends, so it may run on any
     * thread: the predecessor's watch calls it on Curator's event thread, as {@code LeaderLatch} does, where a hop
     * to the scheduler first would add a thread wake-up to every hand-over. The answer, and a failure to send,
     * are handled on the scheduler, as every other step's.
     */
    private void look(Node ours) {
        long sentAt = System.nanoTime();
        try {
            ZooKeeperSessionMonitor.Session session = provider.session();
            provider.sendChildren(dir, event -> listed(ours, session, sentAt, event));
        }
        catch (Exception ex) {
            provider.runAside(() -> failed("listing the candidates", ex));
        }
    }

    private void listed(Node ours, ZooKeeperSessionMonitor.Session session, long sentAt, CuratorEvent event) {
        if (node.get() != ours || !isOpen()) {
            return;
        }
        int rc = event.getResultCode();
        if (rc != KeeperException.Code.OK.intValue() && rc != KeeperException.Code.NONODE.intValue()) {
            failed("listing the candidates", KeeperException.create(KeeperException.Code.get(rc)));
            return;
        }
        // no group node (a container the server removed once empty): no candidate, ours neither
        List<String> children = rc == KeeperException.Code.OK.intValue() ? new ArrayList<>(event.getChildren())
                : new ArrayList<>();
        children.sort(ZooKeeperPaths.BY_SEQUENCE);
        for (String child : children) {
            if (child.contains(candidacyId) && !child.equals(ours.name())) {
                // ours, but not the current node: a create whose answer was lost, or a delete that did not arrive
                provider.deleteQuietly(ZKPaths.makePath(dir, child));
            }
        }
        children.removeIf(child -> child.contains(candidacyId) && !child.equals(ours.name()));
        int index = children.indexOf(ours.name());
        if (index < 0) {
            nodeGone(ours, session.id() == ours.sessionId() ? Reason.LEASE_LOST : Reason.SESSION_EXPIRED);
            return;
        }
        if (index == 0) {
            lead(ours, session, sentAt);
            return;
        }
        watchPredecessor(ours, children.get(index - 1), children.get(0));
    }

    /** Our node is the lowest: the term is its {@code czxid}, trusted from when the list was asked for. */
    private void lead(Node ours, ZooKeeperSessionMonitor.Session session, long sentAt) {
        if (session.id() != ours.sessionId()) {
            // the list came in another session than the node's: the node went with its session
            nodeGone(ours, Reason.SESSION_EXPIRED);
            return;
        }
        boolean won;
        synchronized (decisions) {
            if (node.get() != ours || holdsTerm() || ours.czxid() <= term()) {
                return;
            }
            won = granted(ours.czxid(), session.deadline(sentAt));
            if (won && node.get() != ours) {
                // the node was replaced while the grant was told (its session ended): the term is over
                revoked(Reason.SESSION_EXPIRED);
                return;
            }
        }
        if (won) {
            try {
                provider.watchData(ours.path(), ownNodeWatcher, answer -> {
                    if (answer.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                        nodeDeleted(ours.path());
                    }
                });
            }
            catch (Exception ex) {
                // the session still ends the term if the node goes with it; only a deletion by someone else goes
                // unnoticed until the next look
                logger.debug("Could not watch the leader node " + ours.path(), ex);
            }
        }
    }

    private void watchPredecessor(Node ours, String predecessor, String lowest) {
        String predecessorPath = ZKPaths.makePath(dir, predecessor);
        try {
            watchedPredecessor = predecessorPath;
            // getData rather than checkExists: a watch is left only if the node still exists
            provider.watchData(predecessorPath, predecessorWatcher, answer -> {
                if (node.get() != ours || !isOpen()) {
                    return;
                }
                int rc = answer.getResultCode();
                if (rc == KeeperException.Code.NONODE.intValue()) {
                    look(ours);
                }
                else if (rc != KeeperException.Code.OK.intValue()) {
                    failed("watching its predecessor " + predecessorPath, KeeperException.create(KeeperException.Code.get(rc)));
                }
                else if (predecessor.equals(lowest)) {
                    seen(ours, answer.getData());
                }
            });
            if (!predecessor.equals(lowest)) {
                provider.sendData(ZKPaths.makePath(dir, lowest), answer -> {
                    if (answer.getResultCode() == KeeperException.Code.OK.intValue()) {
                        seen(ours, answer.getData());
                    }
                });
            }
        }
        catch (Exception ex) {
            failed("watching its predecessor " + predecessorPath, ex);
        }
    }

    private void seen(Node ours, byte @Nullable [] leaderData) {
        if (node.get() == ours && !holdsTerm() && leaderData != null) {
            leaderSeen(new String(leaderData, StandardCharsets.UTF_8));
        }
    }

    /**
     * The leader's node was deleted while it was still the current one: by someone else, or by the server as
     * the client's close ended the session (the server tells the closing session of its own node's deletion).
     */
    private void nodeDeleted(String path) {
        Node current = node.get();
        if (current != null && current.path().equals(path)) {
            nodeGone(current, provider.clientStarted() ? Reason.LEASE_LOST : Reason.SESSION_EXPIRED);
        }
    }

    /** {@code gone} is no longer on the server: the term (if any) is over, and the candidacy joins again. */
    private void nodeGone(Node gone, Reason reason) {
        synchronized (decisions) {
            if (node.get() != gone) {
                return;
            }
            // revoked while still the current node, so that no resume() in between trusts the ended term again
            revoked(reason);
            if (!node.compareAndSet(gone, null)) {
                return; // closed by a listener of the revoke
            }
        }
        create();
    }

    private void failed(String what, @Nullable Exception ex) {
        if (!isOpen()) {
            return;
        }
        if (!provider.clientStarted()) {
            // the client was closed before the candidacy: its session, and any node of ours, ended with it
            logger.warn("Candidacy of member '" + memberId() + "' in group '" + group() + "' on zookeeper stopped "
                    + what + ": the Curator client was closed before the candidacy");
            synchronized (decisions) {
                revoked(Reason.SESSION_EXPIRED);
                node.set(null);
            }
            return;
        }
        logger.debug("Candidacy of member '" + memberId() + "' in group '" + group() + "' on zookeeper failed "
                + what + "; retrying: " + ex);
        provider.retryLater(this);
    }

    // ----------------------------------------------------------------- the session

    @Override
    public void sessionConfirmed(ZooKeeperSessionMonitor.Session session, long sentAtNanos) {
        Node current = node.get();
        if (current == null) {
            return;
        }
        if (current.sessionId() != session.id()) {
            provider.runAside(() -> nodeGone(current, Reason.SESSION_EXPIRED));
        }
        else if (!confirmUntil(current.czxid(), session.deadline(sentAtNanos))) {
            // a follower looks at the line again at each session check, a third of the timeout apart: its
            // predecessor's watch wakes it only when that one goes, not when a leader further up changes, so this
            // keeps leader() that fresh (and would find its own node gone, had a watch been missed)
            provider.runAside(this::lookAgain);
        }
    }

    @Override
    public void reconnected(ZooKeeperSessionMonitor.Session session) {
        Node current = node.get();
        if (current != null && current.sessionId() != session.id()) {
            // revoked before the suspension ends, so that the old session's term is never trusted again
            provider.runAside(() -> {
                nodeGone(current, Reason.SESSION_EXPIRED);
                resume();
            });
        }
        else {
            // the same session: the node and the term are still there
            resume();
            // requests that failed while disconnected left the candidacy where it was: start again from the server
            provider.runAside(this::reconcile);
        }
    }

    @Override
    public void suspendUntilReconnected() {
        suspend();
    }

    @Override
    public void sessionLost(String reason) {
        Node current = node.get();
        if (current != null) {
            provider.runAside(() -> nodeGone(current, Reason.SESSION_EXPIRED));
        }
    }

    // ----------------------------------------------------------------- yield and close

    /**
     * Replaces the node by a new one at the back of the line, in one transaction; the next candidate's watch fires.
     * One write, not a delete and then a create: the server answers a read only once the writes before it are on
     * disk, so the next candidate's look at the line would wait behind the create's log sync as well.
     */
    @Override
    protected void handOver(long term) {
        Node current = node.get();
        if (current == null || current.czxid() != term || !node.compareAndSet(current, null)) {
            return;
        }
        if (!isOpen() || !creating.compareAndSet(false, true)) {
            provider.deleteQuietly(current.path());
            return;
        }
        try {
            provider.sendReplace(current.path(), ZKPaths.makePath(dir, candidacyId + "-"), data,
                    event -> replaced(current.path(), event));
        }
        catch (Exception ex) {
            creating.set(false);
            provider.deleteQuietly(current.path());
            failed("replacing its candidate node", ex);
        }
    }

    /** Deletes the node, so that the next candidate leads at once. */
    @Override
    protected void leave() {
        provider.forget(this);
        Node current = node.getAndSet(null);
        String predecessor = watchedPredecessor;
        if (predecessor != null) {
            provider.removeWatch(predecessor, predecessorWatcher);
        }
        if (current != null) {
            provider.delete(current.path(), this);
        }
    }
}
