package dev.ringlock.zookeeper;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.LockBackendException;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockRequest;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.Watcher;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition of a permit lock, on the protocol of Curator's {@code InterProcessSemaphoreV2}, in the key's lock
 * directory beside the other kinds' nodes ({@link LockNodes}).
 * <p>
 * Waiters queue in order of their {@code permits-<N>-wait-} nodes, each watching only the one before it. The head of
 * the queue creates its lease node ({@code permits-<N>-lease-}) and, while more than N leases exist, watches the
 * directory's children: it is the key's one watcher of the leases. Once N or fewer exist (its own included) it holds
 * its permit and deletes its queue node, which lets the next waiter create its lease. So leases are created one at a
 * time, in order of entry, and their {@code czxid}, the fencing token, increases in that order. (The head's watch is
 * on the directory, so a waiter joining the queue wakes it too: one listing more per arrival while the key is full,
 * the price of keeping every kind's nodes in one directory, where each request sees the others' in its listing.) The lease is an
 * ephemeral node owned by the handle (not a thread), and ends with its release or its session, never earlier.
 * <p>
 * A wait that runs out, is interrupted or fails deletes both nodes it created.
 */
final class ZooKeeperPermitAcquisition {

    private final ZooKeeperLockProvider provider;
    private final CuratorFramework client;
    private final LockRequest request;
    private final String dir;
    private final int permits;
    private final long deadline;
    private @Nullable String waitNode;
    private @Nullable String leaseNode;
    /** When the listing that let the lease in was sent: the session lived then. */
    private long confirmedAt;

    ZooKeeperPermitAcquisition(ZooKeeperLockProvider provider, CuratorFramework client, LockRequest request,
            String dir) {
        this.provider = provider;
        this.client = client;
        this.request = request;
        this.dir = dir;
        this.permits = request.permits();
        this.deadline = System.nanoTime() + request.waitTime().toNanos();
    }

    Optional<LockHandle> run() throws InterruptedException {
        boolean acquired = false;
        try {
            ZooKeeperSessionMonitor.Session session = provider.establishedSession(deadline);
            if (session == null) {
                // still connecting when the wait ran out: nothing was created
                return Optional.empty();
            }
            waitNode = provider.createNode(dir, LockNodes.waitName(permits)).path();
            if (!awaitHeadOfQueue()) {
                return Optional.empty();
            }
            ZooKeeperLockProvider.CreatedNode lease = provider.createNode(dir, LockNodes.leaseName(permits));
            leaseNode = lease.path();
            if (!awaitFreePermit(ZKPaths.getNodeFromPath(leaseNode))) {
                return Optional.empty();
            }
            LockHandle handle = provider.hold(request, leaseNode, lease.czxid(), session, confirmedAt);
            acquired = true;
            return Optional.of(handle);
        }
        catch (InterruptedException | LockNodes.PermitCountMismatchException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new LockBackendException(request.key(), provider.backend(), "acquiring", ex);
        }
        finally {
            if (waitNode != null) {
                // in any case: the head of the queue leaving lets the next waiter in
                provider.deleteQuietly(waitNode);
            }
            if (leaseNode != null && !acquired) {
                provider.deleteQuietly(leaseNode);
            }
        }
    }

    /** Waits until our queue node is the first of the queue; false if the wait ran out first. */
    private boolean awaitHeadOfQueue() throws Exception {
        String ourName = ZKPaths.getNodeFromPath(waitNode);
        while (true) {
            List<String> children = sortedChildren(null);
            int index = indexOf(children, ourName);
            LockNodes.requireOneCount(request.key(), children, index, permits);
            String predecessor = null;
            for (int i = index - 1; i >= 0 && predecessor == null; i--) {
                if (LockNodes.isWait(children.get(i))) {
                    predecessor = children.get(i);
                }
            }
            if (predecessor == null) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            provider.awaitPredecessor(ZKPaths.makePath(dir, predecessor), remaining);
        }
    }

    /** Waits until N or fewer leases exist, ours included; false if the wait ran out first. */
    private boolean awaitFreePermit(String ourName) throws Exception {
        while (true) {
            // The watch set by this listing fires at the next change of the directory's children: a lease that goes,
            // or else at the latest the deletion of our own queue node or lease once we stop waiting, so none stays.
            CountDownLatch changed = new CountDownLatch(1);
            long sentAt = System.nanoTime();
            List<String> children = sortedChildren(event -> changed.countDown());
            int index = indexOf(children, ourName);
            LockNodes.requireOneCount(request.key(), children, index, permits);
            long leases = children.stream().filter(name -> LockNodes.isLease(name) && LockNodes.permitsOf(name) == permits)
                    .count();
            if (leases <= permits) {
                confirmedAt = sentAt;
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            changed.await(remaining, TimeUnit.NANOSECONDS);
        }
    }

    private List<String> sortedChildren(@Nullable Watcher watcher) throws Exception {
        List<String> children = watcher == null ? client.getChildren().forPath(dir)
                : client.getChildren().usingWatcher(watcher).forPath(dir);
        children.sort(ZooKeeperPaths.BY_SEQUENCE);
        return children;
    }

    private int indexOf(List<String> children, String ourName) {
        int index = children.indexOf(ourName);
        if (index < 0) {
            throw new IllegalStateException("permit node " + ZKPaths.makePath(dir, ourName)
                    + " vanished while waiting; the session was lost");
        }
        return index;
    }
}
