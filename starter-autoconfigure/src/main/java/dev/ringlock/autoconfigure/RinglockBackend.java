package dev.ringlock.autoconfigure;

/**
 * Where a feature keeps its state.
 */
public enum RinglockBackend {

    /** Redis through Spring Data Redis (Lettuce): leases renewed by a watchdog, Lua scripts. */
    REDIS,

    /** ZooKeeper through Apache Curator: ephemeral nodes that live with the client's session. */
    ZOOKEEPER,

    /** In this JVM only: for single-instance applications and tests. Never chosen unless named. */
    LOCAL;

    /** The name used in properties, logs and metrics. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
