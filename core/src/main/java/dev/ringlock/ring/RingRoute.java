package dev.ringlock.ring;

/**
 * The versions of the ring's route function: how a {@link HashRing} turns a key into its owner. Every version
 * depends only on the key's UTF-8 bytes and the set of (node id, weight), so every instance that knows the
 * same members and uses the same version computes the same routes; instances that must agree on routes must
 * use the same version. Both are specified in {@code docs/hash-ring.md}, with golden vectors.
 */
public enum RingRoute {

    /**
     * Version 1: weighted rendezvous hashing of the key itself. A lookup scores every node, so it costs time
     * linear in the number of nodes; a ring holds a few arrays of one entry per node.
     */
    RENDEZVOUS {
        @Override
        int nodeKey(long nodeHash) {
            return RingHash.fold(nodeHash);
        }

        @Override
        int key32(long keyHash) {
            return RingHash.fold(keyHash);
        }

        @Override
        long key64(long keyHash) {
            return keyHash;
        }
    },

    /**
     * Version 2, the default: the key falls into one of 2^23 slots (the top 23 bits of its hash), and each slot
     * is owned by its weighted rendezvous winner. From {@value SlotTable#MIN_NODES} nodes up the ring keeps the
     * slot owners in a table, so a lookup is one hash and one array read whatever the number of nodes, at the
     * cost of 8 MB (up to 256 nodes), 16 MB (up to 65,536) or 32 MB of table and a build of about a fifth of a
     * second; smaller rings score their nodes per lookup, as version 1 does.
     */
    SLOTS {
        @Override
        int nodeKey(long nodeHash) {
            return SlotTable.slotOf(nodeHash);
        }

        @Override
        int key32(long keyHash) {
            return SlotTable.slotOf(keyHash);
        }

        @Override
        long key64(long keyHash) {
            return SlotTable.slotOf(keyHash);
        }
    };

    /** The 32 bits of a node's hash that its scores are computed from. */
    abstract int nodeKey(long nodeHash);

    /** The 32 bits of a key's hash that its scores are computed from. */
    abstract int key32(long keyHash);

    /** The 64 bits of a key's hash that break a tie between two nodes with equal {@link #nodeKey}s. */
    abstract long key64(long keyHash);
}
