package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.support.DueActions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Locks on ZooKeeper, with the protocol of Curator's {@code InterProcessMutex} but owned by a handle
 * instead of a thread.
 * <p>
 * Each acquirer creates an ephemeral sequential node (in Curator's protected mode, so a create whose answer
 * was lost to a connection drop is found again) under the key's container node; the lowest sequence holds
 * the lock, every other node watches its predecessor, so a release wakes exactly one waiter. The fencing
 * token is the lock node's {@code czxid}: zxids only grow, across leader elections too, and nodes are
 * created in the order they will hold the lock.
 * <p>
 * A held lock whose node someone else deletes is marked lost through a deletion watch (a background
 * {@code getData} with a watcher). The watch is set only once the lock has been held for
 * {@link #DELETION_WATCH_DELAY}: a lock released sooner, as most are, then costs three requests per
 * acquire/release cycle ({@code create}, {@code getChildren}, {@code delete}), as many as Curator's
 * {@code InterProcessMutex}, instead of four. Until the watch is set the lock relies on its session alone; the
 * way a lock node normally goes, with its session, is reported without any watch by
 * {@link ZooKeeperSessionMonitor} (the connection-state listener's {@code LOST}, or a new session id seen at a
 * reconnection or at the periodic session check). A node deleted by someone else within the delay is reported
 * when the watch is set up, the delay plus a round trip after acquisition ({@code getData}
 * answers {@code NoNode}: lost), or at release if that comes first (the delete finds no node); until then the
 * handle stays valid.
 * <p>
 * Release, loss and {@link #destroy()} each cancel a watch not sent yet. Its set-up checks, under the handle's
 * own lock, that the lock is still held and the watch not cancelled, and hands its request to the client under
 * that lock; a cancel takes the same lock, so a release's delete is queued behind a watch being sent, never
 * ahead of it: the watch fires at the delete and is gone. A watch that fires after release or loss does
 * nothing, the handle's state being final; on a node already gone {@code getData} leaves no watch.
 * <p>
 * A lock acquired with a {@link LockRequest#holdAtLeast() hold} and closed before the hold has run keeps its node:
 * the shared scheduler deletes it when the hold ends, counted on the holder's monotonic clock from the answer that
 * the lock was its (so no clock of another machine is involved), all such nodes in one sweep ({@link DueActions}).
 * ZooKeeper has no expiring nodes; the node is ephemeral, so a session that ends (the process stops or dies)
 * takes it with it, hold or not. The next acquirer, watching it as its predecessor, is woken by its deletion.
 */
public final class ZooKeeperLockProvider implements LockProvider, InitializingBean, DisposableBean {

    private static final Log logger = LogFactory.getLog(ZooKeeperLockProvider.class);

    private static final String NODE_NAME = "lock-";

    /**
     * How long a lock is held before its node is watched for deletion by someone else. Such a deletion (an
     * operator's mistake, not a failure mode of ZooKeeper) is noticed within this delay plus a round trip.
     */
    static final Duration DELETION_WATCH_DELAY = Duration.ofSeconds(1);

    /** Deletion watches due this close together are set up in one sweep. */
    private static final Duration DELETION_WATCH_BATCH = Duration.ofMillis(10);

    private final CuratorFramework client;
    private final ZooKeeperPaths paths;
    private final LockLossListener lossListener;
    private final ZooKeeperSessionMonitor<ZooKeeperLockHandle> sessions;
    private final long deletionWatchDelayNanos;
    /** The deletion watches still to be set up, one sweep on the shared scheduler for all of them. */
    private final DueActions<ZooKeeperLockHandle> deletionWatches;
    /** Lock nodes closed before their hold ended, deleted when it ends; one sweep on the shared scheduler. */
    private final DueActions<ZooKeeperLockHandle> heldNodes;
    private volatile boolean closed;

    /**
     * @param client a started client
     * @param scheduler the shared scheduler that confirms sessions and sets deletion watches; not shut down here
     */
    public ZooKeeperLockProvider(CuratorFramework client, ZooKeeperPaths paths, ScheduledExecutorService scheduler,
            LockLossListener lossListener) {
        this(client, paths, scheduler, lossListener, DELETION_WATCH_DELAY);
    }

    /** With another deletion-watch delay than {@link #DELETION_WATCH_DELAY}; for tests. */
    ZooKeeperLockProvider(CuratorFramework client, ZooKeeperPaths paths, ScheduledExecutorService scheduler,
            LockLossListener lossListener, Duration deletionWatchDelay) {
        this.client = Objects.requireNonNull(client, "client");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.lossListener = Objects.requireNonNull(lossListener, "lossListener");
        this.sessions = new ZooKeeperSessionMonitor<>(client, scheduler);
        this.deletionWatchDelayNanos = deletionWatchDelay.toNanos();
        this.deletionWatches = new DueActions<>(scheduler, DELETION_WATCH_BATCH.toNanos(), this::setDeletionWatch);
        // batched with no slack: a node deleted early would end its hold early
        this.heldNodes = new DueActions<>(scheduler, 0, handle -> deleteQuietly(handle.path()));
    }

    @Override
    public void afterPropertiesSet() {
        sessions.start();
    }

    @Override
    public void destroy() {
        // set before the handles are walked: a lock acquired meanwhile sees it once its watch is scheduled
        closed = true;
        sessions.stop();
        sessions.forEachHandle(this::cancelDeletionWatch);
    }

    @Override
    public String backend() {
        return ZooKeeperBackend.NAME;
    }

    @Override
    public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
        String dir = paths.lockDir(request.key());
        long deadline = System.nanoTime() + request.waitTime().toNanos();
        String ours = null;
        boolean acquired = false;
        try {
            ZooKeeperSessionMonitor.Session session = sessions.establishedSession(deadline);
            if (session == null) {
                // still connecting when the wait ran out: nothing was created
                return Optional.empty();
            }
            Stat stat = new Stat();
            long sentAt = System.nanoTime();
            ours = client.create().storingStatIn(stat).creatingParentContainersIfNeeded().withProtection()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(ZKPaths.makePath(dir, NODE_NAME));
            if (stat.getCzxid() == 0) {
                // the create was retried in protected mode and its node found by name: read its stat
                stat = client.checkExists().forPath(ours);
                if (stat == null) {
                    throw new IllegalStateException("lock node " + ours + " vanished right after its creation");
                }
            }
            String ourName = ZKPaths.getNodeFromPath(ours);
            while (true) {
                List<String> children = client.getChildren().forPath(dir);
                children.sort(ZooKeeperPaths.BY_SEQUENCE);
                int index = children.indexOf(ourName);
                if (index < 0) {
                    throw new IllegalStateException("lock node " + ours + " vanished while waiting; the session was lost");
                }
                if (index == 0) {
                    ZooKeeperLockHandle handle = new ZooKeeperLockHandle(this, request.key(), ours, stat.getCzxid(),
                            session, sentAt, request.holdAtLeast().toNanos());
                    sessions.register(handle);
                    scheduleDeletionWatch(handle);
                    acquired = true;
                    return Optional.of(handle);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                awaitPredecessor(ZKPaths.makePath(dir, children.get(index - 1)), remaining);
            }
        }
        catch (InterruptedException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new LockBackendException(request.key(), backend(), "acquiring", ex);
        }
        finally {
            if (ours != null && !acquired) {
                deleteQuietly(ours);
            }
        }
    }

    /** Waits until the predecessor's node changes (usually: is deleted), or {@code nanos} pass. */
    private void awaitPredecessor(String predecessor, long nanos) throws Exception {
        CountDownLatch changed = new CountDownLatch(1);
        Watcher watcher = event -> changed.countDown();
        try {
            // getData rather than checkExists: a watch is left only if the node still exists
            client.getData().usingWatcher(watcher).forPath(predecessor);
        }
        catch (KeeperException.NoNodeException ignore) {
            // the predecessor is already gone: look at the children again
            return;
        }
        if (!changed.await(nanos, TimeUnit.NANOSECONDS)) {
            // timed out: take our watch back so the server does not keep one per abandoned wait
            client.watchers().remove(watcher).ofType(Watcher.WatcherType.Data).quietly().inBackground().forPath(predecessor);
        }
    }

    /** Watches the lock node for deletion once the lock has been held for the deletion-watch delay. */
    private void scheduleDeletionWatch(ZooKeeperLockHandle handle) {
        deletionWatches.add(handle, System.nanoTime() + deletionWatchDelayNanos);
        if (closed) {
            // destroy() may have walked the handles before this one was registered
            cancelDeletionWatch(handle);
        }
    }

    /** No deletion watch is sent for {@code handle} from now on (one sent already stays; see the handle). */
    private void cancelDeletionWatch(ZooKeeperLockHandle handle) {
        handle.cancelDeletionWatch();
        deletionWatches.remove(handle);
    }

    private void setDeletionWatch(ZooKeeperLockHandle handle) {
        if (closed) {
            return;
        }
        try {
            handle.sendDeletionWatch(() -> watchForDeletion(handle));
        }
        catch (Exception ex) {
            // the request could not be handed to the client (it is closing): the session monitor still reports
            // the loss that matters, the session's, and the release still finds a deleted node gone
            logger.debug("Could not watch lock node " + handle.path() + " for deletion", ex);
        }
    }

    /**
     * Asks the server to tell us if someone deletes the lock node while we hold it; costs no wait. Called only
     * through {@link ZooKeeperLockHandle#sendDeletionWatch}, under the handle's watch lock.
     */
    private void watchForDeletion(ZooKeeperLockHandle handle) throws Exception {
        // getData, not exists: on a node already gone, exists would leave a watch on the server waiting for a
        // creation that never happens (lock node names are unique), one leaked watch per such race.
        client.getData().usingWatcher((Watcher) event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                handle.nodeDeleted();
            }
        }).inBackground((c, event) -> {
            if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                handle.deletionWatchSet();
            }
            else if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                // deleted before this request reached the server (by someone else, or by our own release if this
                // request was retried after it): no watch was set and no event will come, so the answer itself
                // tells us; a no-op once released or lost
                handle.nodeGoneAtWatchSetUp();
            }
        }).forPath(handle.path());
    }

    void release(ZooKeeperLockHandle handle) {
        sessions.unregister(handle);
        // before the delete: a watch being sent now is queued ahead of it, and none is sent after it
        cancelDeletionWatch(handle);
        long holdEnds = handle.holdEndsAtNanos();
        if (holdEnds - System.nanoTime() > 0) {
            // Kept for the rest of its hold: the shared scheduler deletes the node then, or the session's end does.
            // The node's loss meanwhile is nobody's concern: the handle is released for its holder.
            heldNodes.add(handle, holdEnds);
            return;
        }
        try {
            // guaranteed: if the connection drops now, Curator keeps retrying the delete in the background
            // for as long as the session lives, instead of forgetting the node (CURATOR-678)
            client.delete().guaranteed().forPath(handle.path());
        }
        catch (KeeperException.NoNodeException ex) {
            // already gone with its session, or deleted: nothing left to release, but the lock was lost while held
            handle.foundGoneAtRelease();
        }
        catch (Exception ex) {
            throw new LockBackendException(handle.key(), backend(), "releasing", ex);
        }
    }

    /** The handle was found lost: no longer kept, nor watched (its node went with the session, or was deleted). */
    void forget(ZooKeeperLockHandle handle) {
        sessions.unregister(handle);
        cancelDeletionWatch(handle);
    }

    private void deleteQuietly(String path) {
        try {
            client.delete().guaranteed().inBackground().forPath(path);
        }
        catch (Exception ignore) {
            // guaranteed delete retries by itself; the node also ends with the session
        }
    }

    LockLossListener lossListener() {
        return lossListener;
    }

    /** Stops (or restarts) confirming sessions, as if this process were frozen; for fault tests. */
    void pauseSessionChecksForTests(boolean pause) {
        sessions.pauseForTests(pause);
    }

    /** Handles whose session this provider watches; for tests that check nothing is left behind. */
    int heldHandles() {
        return sessions.registered();
    }
}
