package dev.ringlock.zookeeper;

import dev.ringlock.lock.AbstractLockHandle;

/**
 * A ZooKeeper lock: an ephemeral sequential node that lives with the session that created it. Trusted
 * locally while the session is confirmed alive (see {@link ZooKeeperSessionMonitor}) and the connection
 * is not suspended.
 */
final class ZooKeeperLockHandle extends AbstractLockHandle {

    private final ZooKeeperLockProvider provider;
    private final String path;
    private final long sessionId;

    ZooKeeperLockHandle(ZooKeeperLockProvider provider, String key, String path, long token,
            ZooKeeperSessionMonitor.Session session, long sentAtNanos) {
        super("zookeeper", key, token, session.deadline(sentAtNanos), provider.lossListener());
        this.provider = provider;
        this.path = path;
        this.sessionId = session.id();
    }

    String path() {
        return path;
    }

    void sessionConfirmed(ZooKeeperSessionMonitor.Session session, long sentAtNanos) {
        if (session.id() != sessionId) {
            markLost("the ZooKeeper session that owned the lock node ended (new session 0x"
                    + Long.toHexString(session.id()) + ")");
        }
        else {
            confirmUntil(session.deadline(sentAtNanos));
        }
    }

    void reconnected(ZooKeeperSessionMonitor.Session session) {
        if (session.id() != sessionId) {
            markLost("the client reconnected with a new ZooKeeper session; the lock node went with the old one");
        }
        else {
            resume();
        }
    }

    void suspendUntilReconnected() {
        suspend();
    }

    void sessionLost(String reason) {
        markLost(reason);
    }

    void nodeDeleted() {
        markLost("its lock node " + path + " was deleted by someone else");
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
}
