package dev.ringlock.autoconfigure;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;

/**
 * Prepares the application's {@link CuratorFramework} for Ringlock.
 */
final class ZooKeeperClients {

    private ZooKeeperClients() {
    }

    /** Starts an application's client that was defined but not started, as Curator clients must be. */
    static void requireStarted(CuratorFramework client) {
        if (client.getState() == CuratorFrameworkState.LATENT) {
            client.start();
        }
    }
}
