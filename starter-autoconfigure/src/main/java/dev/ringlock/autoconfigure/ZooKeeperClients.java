package dev.ringlock.autoconfigure;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;

/**
 * Prepares the application's {@link CuratorFramework} for Ringlock.
 */
final class ZooKeeperClients {

    private ZooKeeperClients() {
    }

    /**
     * Starts an application's client that was defined but not started yet (Curator clients must be started
     * before use); a client already started, or closed, is left as it is.
     */
    static void startIfLatent(CuratorFramework client) {
        if (client.getState() == CuratorFrameworkState.LATENT) {
            client.start();
        }
    }
}
