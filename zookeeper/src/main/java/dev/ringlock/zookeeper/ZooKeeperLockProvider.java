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
import dev.ringlock.lock.LockMode;
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
import org.jspecify.annotations.Nullable;
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
 * Every kind lives in the key's one directory ({@link LockNodes}). A writer ({@code lock-}, the exclusive lock, as
 * above) waits for every node before its own; a reader ({@code read-}, Curator's {@code InterProcessReadWriteLock}
 * protocol) only for writers: it holds when no writer's node precedes its own, and otherwise watches the nearest
 * one before it. So readers share, writers exclude everyone, and a waiting writer holds back the readers that came
 * after it: readers and writers enter in order of arrival, and a stream of readers cannot starve a writer. Permit
 * locks follow {@code InterProcessSemaphoreV2} ({@link ZooKeeperPermitAcquisition}). A key is used with one
 * number of permits (writers and readers count as one): a request meeting nodes of another count before its own
 * is refused with an {@link IllegalArgumentException} naming the key and both counts, judged on the listing it
 * makes anyway. Every kind's handle is the same {@link ZooKeeperLockHandle}, bound to the session of its node.
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
 * A release deletes the node under the client's retry policy ({@link LockNodeDelete}): a delete that ran on the
 * server but whose answer a dropped connection lost is retried after the reconnect and finds no node, which then
 * counts as this release's own work, not as a loss, as long as the session is still the node's.
 * <p>
 * A lock acquired with a {@link LockRequest#holdAtLeast() hold} and closed before the hold has run keeps its node:
 * the shared scheduler deletes it when the hold ends, counted on the holder's monotonic clock from the answer that
 * the lock was its (so no clock of another machine is involved), all such nodes in one sweep ({@link DueActions}).
 * ZooKeeper has no expiring nodes; the node is ephemeral, so a session that ends (the process stops or dies)
 * takes it with it, hold or not. The next acquirer, watching it as its predecessor, is woken by its deletion.
 */
public final class ZooKeeperLockProvider implements LockProvider, InitializingBean, DisposableBean {

    private static final Log logger = LogFactory.getLog(ZooKeeperLockProvider.class);

    /**
     * How long a lock is held before its node is watched for deletion by someone else. Such a deletion (an
     * operator's mistake, not a failure mode of ZooKeeper) is noticed within this delay plus a round trip.
     */
    static final Duration DELETION_WATCH_DELAY = Duration.ofSeconds(1);

    /** Deletion watches due this close together are set up in one sweep. */
    private static final Duration DELETION_WATCH_BATCH = Duration.ofMillis(10);

    private final CuratorFramework client;
    /** The release's delete, which knows a node its own lost attempt deleted from one gone before. */
    private final LockNodeDelete nodeDelete;
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
        this.nodeDelete = new LockNodeDelete(client);
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

    /** Every kind: exclusive, READ and permit locks. */
    @Override
    public boolean supports(LockRequest request) {
        return true;
    }

    @Override
    public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
        if (request.permits() > 1) {
            return new ZooKeeperPermitAcquisition(this, client, request, paths.lockDir(request.key())).run();
        }
        boolean reader = request.mode() == LockMode.READ;
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
            long sentAt = System.nanoTime();
            CreatedNode created = createNode(dir, reader ? LockNodes.READ : LockNodes.WRITE);
            ours = created.path();
            String ourName = ZKPaths.getNodeFromPath(ours);
            while (true) {
                List<String> children = client.getChildren().forPath(dir);
                children.sort(ZooKeeperPaths.BY_SEQUENCE);
                int index = children.indexOf(ourName);
                if (index < 0) {
                    throw new IllegalStateException("lock node " + ours + " vanished while waiting; the session was lost");
                }
                if (index > 0) {
                    LockNodes.requireOneCount(request.key(), children, index, 1);
                }
                // a writer waits for every node before its own, a reader for the writers only
                String blocker = reader ? nearestWriterBefore(children, index) : index == 0 ? null : children.get(index - 1);
                if (blocker == null) {
                    LockHandle handle = hold(request, ours, created.czxid(), session, sentAt);
                    acquired = true;
                    return Optional.of(handle);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                awaitPredecessor(ZKPaths.makePath(dir, blocker), remaining);
            }
        }
        catch (InterruptedException | LockNodes.PermitCountMismatchException ex) {
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

    /**
     * The writer's node nearest before {@code index}, which a reader waits for (it is the last of the writers before
     * it to go, in the usual order), or null if no writer came before: the reader holds.
     */
    private static @Nullable String nearestWriterBefore(List<String> sorted, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (LockNodes.isWrite(sorted.get(i))) {
                return sorted.get(i);
            }
        }
        return null;
    }

    /**
     * Creates an ephemeral sequential node named {@code name} in {@code dir}, in Curator's protected mode (so a
     * create whose answer was lost to a connection drop is found again).
     */
    CreatedNode createNode(String dir, String name) throws Exception {
        Stat stat = new Stat();
        String path = client.create().storingStatIn(stat).creatingParentContainersIfNeeded().withProtection()
                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(ZKPaths.makePath(dir, name));
        if (stat.getCzxid() == 0) {
            // the create was retried in protected mode and its node found by name: read its stat
            stat = client.checkExists().forPath(path);
            if (stat == null) {
                throw new IllegalStateException("lock node " + path + " vanished right after its creation");
            }
        }
        return new CreatedNode(path, stat.getCzxid());
    }

    /** A node made by {@link #createNode}: its path, and its {@code czxid}, the fencing token of a lock it holds. */
    record CreatedNode(String path, long czxid) {
    }

    /**
     * The handle of the lock held by {@code node} (the fencing token its {@code czxid}), watched from now on for the
     * end of its session and, after the deletion-watch delay, for a deletion.
     * @param sentAt when a request was sent whose answer showed the session alive
     */
    ZooKeeperLockHandle hold(LockRequest request, String node, long czxid, ZooKeeperSessionMonitor.Session session,
            long sentAt) {
        ZooKeeperLockHandle handle = new ZooKeeperLockHandle(this, request.key(), node, czxid, session, sentAt,
                request.holdAtLeast().toNanos());
        sessions.register(handle);
        scheduleDeletionWatch(handle);
        return handle;
    }

    /** The client's session, waiting for it until {@code deadline} if still connecting; null if none by then. */
    ZooKeeperSessionMonitor.@Nullable Session establishedSession(long deadline) throws Exception {
        return sessions.establishedSession(deadline);
    }

    /** Waits until the predecessor's node changes (usually: is deleted), or {@code nanos} pass. */
    void awaitPredecessor(String predecessor, long nanos) throws Exception {
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
            if (!nodeDelete.delete(handle.path(), handle.sessionId())) {
                // already gone with its session, or deleted: nothing left to release, but the lock was lost while held
                handle.foundGoneAtRelease();
            }
        }
        catch (Exception ex) {
            // Guaranteed, as Curator's guaranteed() delete: while the session lives, Curator keeps retrying it in the
            // background instead of forgetting the node (CURATOR-678).
            deleteQuietly(handle.path());
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new LockBackendException(handle.key(), backend(), "releasing", ex);
        }
    }

    /** The handle was found lost: no longer kept, nor watched (its node went with the session, or was deleted). */
    void forget(ZooKeeperLockHandle handle) {
        sessions.unregister(handle);
        cancelDeletionWatch(handle);
    }

    void deleteQuietly(String path) {
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
