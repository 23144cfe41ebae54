package dev.ringlock.zookeeper;

/**
 * The ZooKeeper backend's name, in one place.
 */
public final class ZooKeeperBackend {

    /**
     * The backend's name, as every {@code backend()} of this module answers it and as it appears in properties
     * ({@code ringlock.backend=zookeeper}), logs, metrics tags and exception messages.
     */
    public static final String NAME = "zookeeper";

    private ZooKeeperBackend() {
    }
}
