package dev.ringlock.testsupport;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Ends a client's ZooKeeper session on the server, as a session expiry does: its ephemeral nodes go at once,
 * and the client learns of it (Curator's {@code LOST}, then a new session) when it next reaches the server.
 * <p>
 * Unlike {@code Testable.injectSessionExpiration()}, which only makes the client believe its session expired
 * while the server keeps it (and its nodes) until the timeout, this is what the server does: a second
 * connection takes the session over with its id and password and closes it.
 */
public final class ZooKeeperSessions {

    private ZooKeeperSessions() {
    }

    /** Closes the current session of {@code client} on the server at {@code connectString}. */
    public static void expire(CuratorFramework client, String connectString) throws Exception {
        ZooKeeper victim = client.getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        Watcher watcher = event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        };
        ZooKeeper takeover = new ZooKeeper(connectString, victim.getSessionTimeout(), watcher, victim.getSessionId(),
                victim.getSessionPasswd());
        try {
            if (!connected.await(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Could not take over session 0x" + Long.toHexString(victim.getSessionId()));
            }
        }
        finally {
            takeover.close();
        }
    }
}
