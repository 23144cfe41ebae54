package dev.ringlock.ring;

/**
 * The version of the function that maps a key to its nodes. Both are weighted rendezvous hashing over the
 * same node scores ({@link HashRing}); they differ in what is scored, so the same ring routes a key to
 * different nodes under each. A route never changes once published: a new one gets a new constant.
 */
public enum RingRoute {

    /**
     * Version 1: rendezvous over the key's own hash, {@code fold(hash(key))}. A lookup scores every node, so
     * it costs O(nodes). Kept for applications whose routes must not change on upgrade.
     */
    RENDEZVOUS,

    /**
     * Version 2, the default: the key's slot is {@link RingHash#slot(long) hash(key) >>> 41} (2^23 slots,
     * fixed forever), and the slot's nodes are the rendezvous ranking over {@link RingHash#slotHash(int)}
     * in place of the key's hash. From {@value HashRing#SLOT_TABLE_MIN_NODES} equal-weight nodes up the ring
     * keeps the owner of every slot in a table, so a lookup is one hash and one array read.
     */
    SLOTS
}
