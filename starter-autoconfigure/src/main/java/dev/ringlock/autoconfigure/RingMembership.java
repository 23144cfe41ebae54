package dev.ringlock.autoconfigure;

/**
 * Where the members of the consistent-hash ring come from.
 */
public enum RingMembership {

    /** A fixed list: {@code ringlock.ring.nodes}. */
    STATIC,

    /** Ephemeral znodes under {@code /<prefix>/members}, one per live member. */
    ZOOKEEPER,

    /** A Redis sorted set scored by each member's last heartbeat. */
    REDIS;

    /** The name used in properties and logs. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
