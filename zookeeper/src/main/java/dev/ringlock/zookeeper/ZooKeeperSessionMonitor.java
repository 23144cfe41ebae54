package dev.ringlock.zookeeper;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.jspecify.annotations.Nullable;

/**
 * Tells what lives with the session of one {@link CuratorFramework} (lock handles, leaderships: each a
 * {@link SessionBound}) how long that session is known to live.
 * <p>
 * ZooKeeper expires a session a session-timeout after it last heard the client. So whenever the server
 * answers a request that left at time {@code t}, the session, and every lock node it owns, lives at least
 * until {@code t + timeout}. This monitor sends one cheap request per session every third of the
 * timeout, on the shared scheduler, and moves the handles' deadlines forward. Connection events act at
 * once: {@code SUSPENDED} makes handles invalid until {@code RECONNECTED} (or, for what registered before the
 * first connection, {@code CONNECTED}); {@code LOST}, or a new session
 * id, marks them lost. Curator itself never tells a lock holder that its session expired (CURATOR-206).
 */
final class ZooKeeperSessionMonitor<T extends ZooKeeperSessionMonitor.SessionBound> implements ConnectionStateListener {

    private static final Log logger = LogFactory.getLog(ZooKeeperSessionMonitor.class);

    private final CuratorFramework client;
    private final ScheduledExecutorService scheduler;
    private final Set<T> handles = ConcurrentHashMap.newKeySet();
    private volatile @Nullable ScheduledFuture<?> heartbeat;
    private final ReentrantLock starting = new ReentrantLock();
    private volatile boolean paused;

    ZooKeeperSessionMonitor(CuratorFramework client, ScheduledExecutorService scheduler) {
        this.client = client;
        this.scheduler = scheduler;
    }

    void start() {
        client.getConnectionStateListenable().addListener(this);
    }

    void stop() {
        client.getConnectionStateListenable().removeListener(this);
        ScheduledFuture<?> running = heartbeat;
        if (running != null) {
            running.cancel(false);
        }
    }

    void register(T handle) {
        handles.add(handle);
        if (heartbeat == null) {
            // checked before the locked start: threads acquiring at once would otherwise queue on its lock
            ensureHeartbeat();
        }
        if (client.getState() != null && !client.getZookeeperClient().isConnected()) {
            handle.suspendUntilReconnected();
        }
    }

    void unregister(T handle) {
        handles.remove(handle);
    }

    void forEachHandle(Consumer<T> action) {
        handles.forEach(action);
    }

    int registered() {
        return handles.size();
    }

    /** The current session's id and negotiated timeout, read without network. */
    Session session() throws Exception {
        var zooKeeper = client.getZookeeperClient().getZooKeeper();
        return new Session(zooKeeper.getSessionId(), zooKeeper.getSessionTimeout());
    }

    /**
     * The session a request sent now runs in, waiting up to {@code deadlineNanos} for a client that is still
     * connecting: until the server has granted a session its id and timeout are 0, and a lock taken in it would
     * be judged invalid from the start (or lost at the first check, as a session that changed).
     * @return null when no session was granted by the deadline
     */
    @Nullable Session establishedSession(long deadlineNanos) throws Exception {
        Session session = session();
        if (session.isEstablished()) {
            return session;
        }
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        client.blockUntilConnected((int) Math.max(1, Math.min(remainingMillis, Integer.MAX_VALUE)), TimeUnit.MILLISECONDS);
        session = session();
        return session.isEstablished() ? session : null;
    }

    private void ensureHeartbeat() {
        // a lock, not a monitor: reading the session may wait for the client's connection, which a virtual thread
        // must do unmounted (a monitor pins it on Java 21)
        starting.lock();
        try {
            startHeartbeat();
        }
        finally {
            starting.unlock();
        }
    }

    private void startHeartbeat() {
        if (heartbeat != null) {
            return;
        }
        long period;
        try {
            Session session = session();
            if (!session.isEstablished()) {
                // no timeout negotiated yet to pace the checks by: started at the first connection instead
                return;
            }
            period = Math.max(100, session.timeoutMillis() / 3);
        }
        catch (Exception ex) {
            period = 1000;
        }
        heartbeat = scheduler.scheduleWithFixedDelay(this::confirmSession, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops or restarts the session checks, as a frozen process would; for fault tests. */
    void pauseForTests(boolean pause) {
        paused = pause;
    }

    private void confirmSession() {
        if (handles.isEmpty() || paused) {
            return;
        }
        long sentAt = System.nanoTime();
        try {
            Session session = session();
            client.checkExists().inBackground((c, event) -> {
                if (event.getResultCode() == KeeperException.Code.OK.intValue()
                        || event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    confirmed(session, sentAt);
                }
            }).forPath("/");
        }
        catch (Exception ex) {
            if (client.getState() == CuratorFrameworkState.STOPPED) {
                // closed under what still lives with its session: the close ended the session on the server
                handles.forEach(h -> h.sessionLost("the Curator client was closed, which ended its session"));
                return;
            }
            logger.debug("ZooKeeper session check failed; lock handles keep their last confirmed deadline", ex);
        }
    }

    private void confirmed(Session session, long sentAtNanos) {
        for (T handle : handles) {
            handle.sessionConfirmed(session, sentAtNanos);
        }
    }

    @Override
    public void stateChanged(CuratorFramework source, ConnectionState state) {
        switch (state) {
            case SUSPENDED -> handles.forEach(SessionBound::suspendUntilReconnected);
            // CONNECTED too: what registered before the client's first connection was suspended until then
            case CONNECTED, RECONNECTED -> {
                try {
                    Session session = session();
                    handles.forEach(handle -> handle.reconnected(session));
                }
                catch (Exception ex) {
                    handles.forEach(h -> h.sessionLost("the session could not be read after reconnecting: " + ex));
                }
                if (heartbeat == null && !handles.isEmpty()) {
                    ensureHeartbeat();
                }
                // the deadline moves only on an answer to a request sent after the reconnect
                confirmSession();
            }
            case LOST -> handles.forEach(h -> h.sessionLost("the ZooKeeper session was lost"));
            default -> {
            }
        }
    }

    /**
     * What lives with a session and is told of it: confirmed until a deadline, suspended with the connection,
     * resumed or lost at a reconnection, lost with the session.
     */
    interface SessionBound {

        /** The server answered a request of {@code session} sent at {@code sentAtNanos}. */
        void sessionConfirmed(Session session, long sentAtNanos);

        /** The connection is back, in {@code session} (the same one or a new one). */
        void reconnected(Session session);

        /** The connection is suspended: nothing is trusted until it is back. */
        void suspendUntilReconnected();

        /** The session is over, for {@code reason}. */
        void sessionLost(String reason);
    }

    /** A ZooKeeper session as this client sees it. */
    record Session(long id, int timeoutMillis) {

        /** False for a client whose server has not granted it a session yet. */
        boolean isEstablished() {
            return id != 0 && timeoutMillis > 0;
        }

        /** The local deadline up to which a server answer to a request sent at {@code sentAtNanos} vouches. */
        long deadline(long sentAtNanos) {
            long trusted = timeoutMillis - timeoutMillis / 100 - 2;
            return sentAtNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(trusted, 0));
        }
    }
}
