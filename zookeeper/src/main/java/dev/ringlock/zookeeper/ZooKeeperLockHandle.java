package dev.ringlock.zookeeper;

import java.util.concurrent.locks.ReentrantLock;

import dev.ringlock.lock.AbstractLockHandle;

/**
 * A ZooKeeper lock: an ephemeral sequential node that lives with the session that created it. Trusted
 * locally while the session is confirmed alive (see {@link ZooKeeperSessionMonitor}) and the connection
 * is not suspended.
 */
final class ZooKeeperLockHandle extends AbstractLockHandle implements ZooKeeperSessionMonitor.SessionBound {

    /** Where the watch for a deletion of the lock node by someone else stands. */
    enum DeletionWatch {
        /** Scheduled (or about to be), nothing sent yet. */
        PENDING,
        /** Released, lost or its provider closed before it was sent: it never will be. */
        CANCELLED,
        /** Its {@code getData} was handed to the client. */
        SENT,
        /** The server answered: the watch is on the node. */
        SET
    }

    private final ZooKeeperLockProvider provider;
    private final String path;
    private final long sessionId;
    /** When the holder had the answer that the lock was its, by {@link System#nanoTime()}: a hold counts from here. */
    private final long acquiredAtNanos;
    private final long holdNanos;

    /**
     * Guards {@link #deletionWatch}, and is held while the watch's request is
     * handed to the client, so that a release, which cancels under it first, queues its delete after that
     * request and never before.
     */
    /** A lock, not a monitor: it is held while the watch's request goes to the client, which a virtual thread
     * must be able to wait for unmounted on Java 21 too. */
    private final ReentrantLock watchLock = new ReentrantLock();
    private volatile DeletionWatch deletionWatch = DeletionWatch.PENDING;

    ZooKeeperLockHandle(ZooKeeperLockProvider provider, String key, String path, long token,
            ZooKeeperSessionMonitor.Session session, long sentAtNanos, long holdNanos) {
        super(ZooKeeperBackend.NAME, key, token, session.deadline(sentAtNanos), provider.lossListener());
        this.provider = provider;
        this.path = path;
        this.sessionId = session.id();
        this.acquiredAtNanos = System.nanoTime();
        this.holdNanos = holdNanos;
    }

    /** When the hold asked for ends, by {@link System#nanoTime()}; the acquisition's time without a hold. */
    long holdEndsAtNanos() {
        return acquiredAtNanos + holdNanos;
    }

    String path() {
        return path;
    }

    /** The session that created the lock node and owns it. */
    long sessionId() {
        return sessionId;
    }

    /**
     * Hands the deletion watch's request to the client, under the lock that {@link #cancelDeletionWatch()}
     * takes, if the lock is still held and the watch not cancelled.
     * @return false if nothing was sent
     */
    boolean sendDeletionWatch(WatchRequest request) throws Exception {
        watchLock.lock();
        try {
            if (deletionWatch != DeletionWatch.PENDING || !isHeld()) {
                return false;
            }
            deletionWatch = DeletionWatch.SENT;
            request.send();
            return true;
        }
        finally {
            watchLock.unlock();
        }
    }

    /** The server set the watch. */
    void deletionWatchSet() {
        watchLock.lock();
        try {
            if (deletionWatch == DeletionWatch.SENT) {
                deletionWatch = DeletionWatch.SET;
            }
        }
        finally {
            watchLock.unlock();
        }
    }

    /**
     * Makes sure no deletion watch is sent from now on. One sent already needs nothing: it fires at the node's
     * delete (our release's, or the session's end) and {@link #nodeDeleted()} is then a no-op.
     * <p>
     * If the watch's request is being handed to the client right now, this waits for it, so that a delete sent
     * after this returns reaches the server after the watch: the watch fires and is gone, none stays behind.
     */
    void cancelDeletionWatch() {
        watchLock.lock();
        try {
            if (deletionWatch == DeletionWatch.PENDING) {
                deletionWatch = DeletionWatch.CANCELLED;
            }
        }
        finally {
            watchLock.unlock();
        }
    }

    /** Where the deletion watch stands; for tests. */
    DeletionWatch deletionWatch() {
        return deletionWatch;
    }

    @Override
    public void sessionConfirmed(ZooKeeperSessionMonitor.Session session, long sentAtNanos) {
        if (session.id() != sessionId) {
            markLost("the ZooKeeper session that owned the lock node ended (new session 0x"
                    + Long.toHexString(session.id()) + ")");
        }
        else {
            confirmUntil(session.deadline(sentAtNanos));
        }
    }

    @Override
    public void reconnected(ZooKeeperSessionMonitor.Session session) {
        if (session.id() != sessionId) {
            markLost("the client reconnected with a new ZooKeeper session; the lock node went with the old one");
        }
        else {
            resume();
        }
    }

    @Override
    public void suspendUntilReconnected() {
        suspend();
    }

    @Override
    public void sessionLost(String reason) {
        markLost(reason);
    }

    /** The deletion watch fired; a no-op once released or lost. */
    void nodeDeleted() {
        markLost("its lock node " + path + " was deleted by someone else");
    }

    /** The deletion watch's set-up found the node gone; a no-op once released or lost. */
    void nodeGoneAtWatchSetUp() {
        markLost("its lock node " + path + " was gone when its deletion watch was set up (deleted by someone else"
                + " after the lock was acquired)");
    }

    /** The release found the lock node gone already: its session ended, or someone deleted it, before. */
    void foundGoneAtRelease() {
        lostBeforeRelease("its lock node " + path + " was gone when it was released (session ended or node deleted)");
    }

    @Override
    protected void release() {
        provider.release(this);
    }

    @Override
    protected void onLost() {
        provider.forget(this);
    }

    /** Sends the watch's request; called under the handle's watch lock. */
    @FunctionalInterface
    interface WatchRequest {
        void send() throws Exception;
    }
}
