package dev.ringlock.ring;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

/**
 * The owner of every slot of {@link RingRoute#SLOTS}, as an index into the ring's sorted node ids: a cache of
 * the rendezvous function, so that a lookup is one array read. One byte per slot (8 MiB) up to
 * {@value #BYTE_MAX_NODES} nodes, one char (16 MiB) up to {@value #MAX_NODES}.
 * <p>
 * Filled once, before the ring that holds it is published, and never written again.
 */
final class SlotTable {

    static final int BYTE_MAX_NODES = 256;

    static final int MAX_NODES = 65_536;

    /** Slots per task of a parallel fill: large enough that a task's overhead is noise, small enough to balance. */
    private static final int CHUNK = 1 << 16;

    /** Slots scored together by {@link #buildUnweighted}: their hashes and best scores (16 KiB) stay in L1. */
    private static final int BLOCK = 2048;

    private final byte @Nullable [] small;

    private final char @Nullable [] large;

    private SlotTable(int nodes) {
        if (nodes <= BYTE_MAX_NODES) {
            small = new byte[RingHash.SLOTS];
            large = null;
        }
        else {
            small = null;
            large = new char[RingHash.SLOTS];
        }
    }

    /** The owner of every slot computed from scratch: {@code owner} for each slot of a ring of {@code nodes}. */
    static SlotTable build(int nodes, SlotOwner owner) {
        SlotTable table = new SlotTable(nodes);
        table.fill(owner);
        return table;
    }

    /**
     * The owner of every slot of an unweighted ring whose nodes' folded hashes ({@link RingHash#fold}) are
     * {@code hashes32}, all distinct: the same owners as scoring each slot node by node, about ten times faster.
     * <p>
     * Per block of slots, one pass per node keeps each slot's highest score shifted right by one bit, in a
     * branch-free loop (XOR, multiply, subtract, mask) that the JIT vectorizes: tracking which node scored it,
     * or a {@code Math.max}, would compile to scalar code. The 31-bit maximum {@code b} says the highest score
     * is {@code 2b + 1} or {@code 2b}, and the owner is recovered from the score alone: {@code fmix32} is a
     * bijection, so the only node that can score {@code t} on a slot has
     * {@code nodeHash32 == fmix32⁻¹(t) ^ slotHash32}, which a small hash table maps to its index. The node
     * scoring {@code 2b + 1}, if there is one, owns the slot, else the one scoring {@code 2b}.
     */
    static SlotTable buildUnweighted(int[] hashes32) {
        NodeIndex index = new NodeIndex(hashes32);
        SlotTable table = new SlotTable(hashes32.length);
        IntStream.range(0, RingHash.SLOTS / CHUNK).parallel().forEach(chunk -> {
            int[] slotHashes = new int[BLOCK];
            int[] best = new int[BLOCK];
            for (int from = chunk * CHUNK; from < (chunk + 1) * CHUNK; from += BLOCK) {
                for (int i = 0; i < BLOCK; i++) {
                    slotHashes[i] = RingHash.fold(RingHash.slotHash(from + i));
                }
                Arrays.fill(best, 0);
                for (int nodeHash : hashes32) {
                    keepHighest(slotHashes, best, nodeHash);
                }
                for (int i = 0; i < BLOCK; i++) {
                    int high = best[i] << 1;
                    int owner = index.of(unfmix32(high | 1) ^ slotHashes[i]);
                    table.set(from + i, owner >= 0 ? owner : index.of(unfmix32(high) ^ slotHashes[i]));
                }
            }
        });
        return table;
    }

    /** {@code best[i] = max(best[i], fmix32(slotHashes[i] ^ nodeHash) >>> 1)}, written so that it vectorizes. */
    private static void keepHighest(int[] slotHashes, int[] best, int nodeHash) {
        for (int i = 0; i < slotHashes.length; i++) {
            int score = RingHash.fmix32(slotHashes[i] ^ nodeHash) >>> 1;
            int current = best[i];
            // both are below 2^31, so the difference does not overflow and its sign says which is larger
            int difference = score - current;
            best[i] = current + (difference & ~(difference >> 31));
        }
    }

    /**
     * The table of the ring with one node more, inserted at {@code index} of the sorted ids: each slot's
     * owner stays (shifted past the new index) unless the new node beats it, so only two nodes are scored
     * per slot.
     */
    SlotTable withNodeAt(int index, int nodes, Challenge challenge) {
        SlotTable next = new SlotTable(nodes);
        next.fill(slot -> {
            int owner = owner(slot);
            int shifted = owner >= index ? owner + 1 : owner;
            return challenge.beats(slot, index, shifted) ? index : shifted;
        });
        return next;
    }

    /**
     * The table of the ring with the node at {@code index} removed: only the slots that node owned are scored
     * again (by {@code owner}, over the remaining nodes); the others keep their owner, shifted.
     */
    SlotTable withoutNodeAt(int index, int nodes, SlotOwner owner) {
        SlotTable next = new SlotTable(nodes);
        next.fill(slot -> {
            int current = owner(slot);
            if (current == index) {
                return owner.of(slot);
            }
            return current > index ? current - 1 : current;
        });
        return next;
    }

    int owner(int slot) {
        byte[] bytes = small;
        if (bytes != null) {
            return bytes[slot] & 0xFF;
        }
        return large[slot];
    }

    private void set(int slot, int owner) {
        byte[] bytes = small;
        if (bytes != null) {
            bytes[slot] = (byte) owner;
        }
        else {
            large[slot] = (char) owner;
        }
    }

    /** The inverse of {@link RingHash#fmix32}: each step undone, last first. */
    static int unfmix32(int h) {
        h ^= h >>> 16;
        h *= 0x7ed1b41d; // the inverse of 0xc2b2ae35 modulo 2^32
        h ^= (h >>> 13) ^ (h >>> 26);
        h *= 0xa5cb9243; // the inverse of 0x85ebca6b modulo 2^32
        h ^= h >>> 16;
        return h;
    }

    private void fill(SlotOwner owner) {
        // chunks in parallel: a full build at 1,000 nodes scores 8 billion (slot, node) pairs
        IntStream.range(0, RingHash.SLOTS / CHUNK).parallel().forEach(chunk -> {
            int from = chunk * CHUNK;
            int to = from + CHUNK;
            byte[] bytes = small;
            if (bytes != null) {
                for (int slot = from; slot < to; slot++) {
                    bytes[slot] = (byte) owner.of(slot);
                }
            }
            else {
                char[] chars = large;
                for (int slot = from; slot < to; slot++) {
                    chars[slot] = (char) owner.of(slot);
                }
            }
        });
    }

    /** Node indexes by folded hash: open addressing over a power-of-two table at most half full. */
    private static final class NodeIndex {

        private final int[] keys;

        private final int[] indexes;

        private final int mask;

        NodeIndex(int[] hashes32) {
            int capacity = Integer.highestOneBit(Math.max(2, hashes32.length) * 2) * 2;
            keys = new int[capacity];
            indexes = new int[capacity];
            Arrays.fill(indexes, -1);
            mask = capacity - 1;
            for (int i = 0; i < hashes32.length; i++) {
                int at = RingHash.fmix32(hashes32[i]) & mask;
                while (indexes[at] >= 0) {
                    at = (at + 1) & mask;
                }
                keys[at] = hashes32[i];
                indexes[at] = i;
            }
        }

        /** The index of the node whose folded hash is {@code hash32}, or -1 if none. */
        int of(int hash32) {
            int at = RingHash.fmix32(hash32) & mask;
            while (indexes[at] >= 0) {
                if (keys[at] == hash32) {
                    return indexes[at];
                }
                at = (at + 1) & mask;
            }
            return -1;
        }
    }

    /** The index of the node that owns a slot. */
    @FunctionalInterface
    interface SlotOwner {

        int of(int slot);
    }

    /** Whether the node at {@code challenger} comes before the node at {@code owner} on a slot. */
    @FunctionalInterface
    interface Challenge {

        boolean beats(int slot, int challenger, int owner);
    }
}
