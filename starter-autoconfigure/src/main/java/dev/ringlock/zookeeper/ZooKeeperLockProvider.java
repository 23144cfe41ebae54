package dev.ringlock.zookeeper;

import java.util.Comparator;
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
 * A held lock whose node someone else deletes is marked lost through a deletion watch, set right after the
 * lock is acquired (a background request: it costs no wait, but one request per cycle more than Curator's mutex).
 */
public final class ZooKeeperLockProvider implements LockProvider, InitializingBean, DisposableBean {

    private static final String NODE_NAME = "lock-";

    /** ZooKeeper's sequence suffix: the last ten digits of the node name. */
    private static final Comparator<String> BY_SEQUENCE = Comparator.comparing(name -> name.substring(name.length() - 10));

    private final CuratorFramework client;
    private final ZooKeeperPaths paths;
    private final LockLossListener lossListener;
    private final ZooKeeperSessionMonitor sessions;

    /**
     * @param client a started client
     * @param scheduler the shared scheduler that confirms sessions; not shut down here
     */
    public ZooKeeperLockProvider(CuratorFramework client, ZooKeeperPaths paths, ScheduledExecutorService scheduler,
            LockLossListener lossListener) {
        this.client = Objects.requireNonNull(client, "client");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.lossListener = Objects.requireNonNull(lossListener, "lossListener");
        this.sessions = new ZooKeeperSessionMonitor(client, scheduler);
    }

    @Override
    public void afterPropertiesSet() {
        sessions.start();
    }

    @Override
    public void destroy() {
        sessions.stop();
    }

    @Override
    public String backend() {
        return "zookeeper";
    }

    @Override
    public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
        String dir = paths.lockDir(request.key());
        long deadline = System.nanoTime() + request.waitTime().toNanos();
        String ours = null;
        boolean acquired = false;
        try {
            Stat stat = new Stat();
            long sentAt = System.nanoTime();
            ZooKeeperSessionMonitor.Session session = sessions.session();
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
                children.sort(BY_SEQUENCE);
                int index = children.indexOf(ourName);
                if (index < 0) {
                    throw new IllegalStateException("lock node " + ours + " vanished while waiting; the session was lost");
                }
                if (index == 0) {
                    ZooKeeperLockHandle handle = new ZooKeeperLockHandle(this, request.key(), ours, stat.getCzxid(),
                            session, sentAt);
                    sessions.register(handle);
                    watchForDeletion(handle);
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

    /** Asks the server to tell us if someone deletes the lock node while we hold it; costs no wait. */
    private void watchForDeletion(ZooKeeperLockHandle handle) throws Exception {
        // getData, not exists: on a node already gone, exists would leave a watch on the server waiting for a
        // creation that never happens (lock node names are unique), one leaked watch per such race.
        client.getData().usingWatcher((Watcher) event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                handle.nodeDeleted();
            }
        }).inBackground((c, event) -> {
            // deleted before this request reached the server: no watch was set and no event will come, so the
            // answer itself tells us; a no-op once released
            if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                handle.nodeDeleted();
            }
        }).forPath(handle.path());
    }

    void release(ZooKeeperLockHandle handle) {
        sessions.unregister(handle);
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

    void forget(ZooKeeperLockHandle handle) {
        sessions.unregister(handle);
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
