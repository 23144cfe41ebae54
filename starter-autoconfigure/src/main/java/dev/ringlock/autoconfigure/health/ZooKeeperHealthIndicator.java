package dev.ringlock.autoconfigure.health;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of Ringlock's ZooKeeper connection: UP while the client is connected, DOWN otherwise, with the
 * connect string and Curator's last connection state ({@code SUSPENDED} while the connection is down,
 * {@code LOST} once the session is presumed gone, which ends every lock of the session). It asks the client
 * only, never the server, so a health check costs no round trip.
 */
final class ZooKeeperHealthIndicator extends AbstractHealthIndicator {

    private final CuratorFramework client;

    /** The last connection state Curator announced; null until the first one. */
    private volatile @Nullable ConnectionState lastState;

    ZooKeeperHealthIndicator(CuratorFramework client) {
        super("ZooKeeper health check failed");
        this.client = client;
        client.getConnectionStateListenable().addListener((ignored, state) -> lastState = state);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("connectString", client.getZookeeperClient().getCurrentConnectionString());
        CuratorFrameworkState clientState = client.getState();
        if (clientState != CuratorFrameworkState.STARTED) {
            builder.down().withDetail("state", clientState.name());
            return;
        }
        boolean connected = client.getZookeeperClient().isConnected();
        ConnectionState state = lastState;
        builder.status(connected ? Status.UP : Status.DOWN);
        builder.withDetail("state", connected ? ConnectionState.CONNECTED.name()
                : state == null || state.isConnected() ? "DISCONNECTED" : state.name());
    }
}
