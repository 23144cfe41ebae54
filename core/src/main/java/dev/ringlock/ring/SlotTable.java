package dev.ringlock.ring;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The owners of the {@link RingRoute#SLOTS} route's 2^23 slots: slot {@code j}'s owner is the {@link Rendezvous}
 * winner for {@code key32 = key64 = j}, the node keys being the top 23 bits of the node hashes. Each entry is a
 * node index, in a {@code byte[]} up to 256 nodes, a {@code char[]} up to 65,536 and an {@code int[]} beyond.
 * <p>
 * Scoring every node on every slot would cost 2^23 scores per node (8 billion at 1,000 nodes). The build
 * avoids it with a property of the scores: node {@code i} scores {@code fmix32(j ^ k_i)} on slot {@code j}, so
 * every node sees the same scores {@code fmix32(x)}, {@code x < 2^23}, only at slot {@code x ^ k_i}. The build
 * lists once the values {@code x} whose score is high enough to win a slot at all (the few whose cost is
 * below {@value #CANDIDATES} over the total weight; a slot's winning cost is exponentially distributed with
 * that total as its rate, so it is above that bound on one slot in e^8, about 3,000 of them), and gives each
 * node the slots {@code x ^ k_i} of those values: about eight candidates per slot whatever the number of
 * nodes. A slot that got no candidate has its owner computed over every node. The result is exactly the
 * rendezvous winner of every slot: a node whose cost is below the bound on a slot is always a candidate there,
 * and a winner's cost is below every other node's. Slots are processed in blocks small enough for the CPU's
 * cache, and a node's candidates in one block come from one block of the list, since XOR with {@code k_i}
 * maps whole blocks onto whole blocks.
 */
final class SlotTable {

    /** Bits of a slot number: a key's slot is the top 23 bits of its hash. */
    static final int BITS = 23;

    static final int SIZE = 1 << BITS;

    /** Rings with fewer nodes score them per lookup (as fast as a table read, and 8 MB smaller). */
    static final int MIN_NODES = 32;

    /** The cost bound of a candidate, times the total weight: e^-8 of the slots get no candidate. */
    static final int CANDIDATES = 8;

    private static final int BLOCK_BITS = 13;

    private static final int BLOCK = 1 << BLOCK_BITS;

    private static final int BLOCK_MASK = BLOCK - 1;

    private final byte @Nullable [] small;

    private final char @Nullable [] medium;

    private final int @Nullable [] large;

    private SlotTable(int nodes) {
        this.small = nodes <= 256 ? new byte[SIZE] : null;
        this.medium = small == null && nodes <= 65_536 ? new char[SIZE] : null;
        this.large = small == null && medium == null ? new int[SIZE] : null;
    }

    /** The slot of a key, or the slot key of a node: the top 23 bits of its hash. */
    static int slotOf(long hash) {
        return (int) (hash >>> (64 - BITS));
    }

    /** The index of the node that owns {@code slot}. */
    int owner(int slot) {
        if (small != null) {
            return small[slot] & 0xFF;
        }
        if (medium != null) {
            return medium[slot];
        }
        return large[slot];
    }

    private void set(int slot, int node) {
        if (small != null) {
            small[slot] = (byte) node;
        }
        else if (medium != null) {
            medium[slot] = (char) node;
        }
        else {
            large[slot] = node;
        }
    }

    /** Bytes held by the table. */
    long bytes() {
        return (long) SIZE * (small != null ? 1 : medium != null ? 2 : 4);
    }

    /** The table of {@code ring}'s nodes, built from nothing. */
    static SlotTable build(Rendezvous ring) {
        SlotTable table = new SlotTable(ring.size());
        new Build(ring, table).run();
        return table;
    }

    /**
     * The table after a join: {@code ring} holds the nodes of {@code previous}'s ring plus {@code added}, and
     * {@code renumbered[i]} is the index in {@code ring} of the previous ring's node {@code i}. A join moves a
     * slot only to the new node, so each slot compares the new node with its owner.
     */
    static SlotTable joined(SlotTable previous, Rendezvous ring, int added, int[] renumbered) {
        SlotTable table = new SlotTable(ring.size());
        Thresholds bounds = new Thresholds(ring);
        int addedKey = ring.nodeKey(added);
        for (int slot = 0; slot < SIZE; slot++) {
            int owner = renumbered[previous.owner(slot)];
            table.set(slot, takes(ring, bounds, slot, addedKey, added, owner) ? added : owner);
        }
        return table;
    }

    /** Whether the joining node {@code added} beats {@code owner} on {@code slot}. */
    private static boolean takes(Rendezvous ring, Thresholds bounds, int slot, int addedKey, int added, int owner) {
        if (!ring.weighted()) {
            int challenger = RingHash.fmix32(slot ^ addedKey) ^ Integer.MIN_VALUE;
            int holder = ring.score(slot, owner);
            return ring.scoresBefore(slot, challenger, holder, added, owner);
        }
        // a cost needs a logarithm: skip it where the owner is below the bound and the new node above it
        int challenger = RingHash.fmix32(slot ^ addedKey) ^ Integer.MIN_VALUE;
        if (!bounds.within(added, challenger) && bounds.within(owner, ring.score(slot, owner))) {
            return false;
        }
        return ring.precedes(slot, slot, added, owner);
    }

    /**
     * The table after a leave: {@code ring} holds the nodes of {@code previous}'s ring but its node
     * {@code removed}, renumbered as {@code renumbered} says. Only the leaver's slots change owner.
     */
    static SlotTable left(SlotTable previous, Rendezvous ring, int removed, int[] renumbered) {
        SlotTable table = new SlotTable(ring.size());
        for (int slot = 0; slot < SIZE; slot++) {
            int owner = previous.owner(slot);
            table.set(slot, owner == removed ? ring.owner(slot, slot) : renumbered[owner]);
        }
        return table;
    }

    /**
     * Each node's lowest (flipped) score whose cost is at most {@value #CANDIDATES} over the total weight; a node
     * of a tiny share may have none.
     */
    private static final class Thresholds {

        private final int[] lowest;

        private final boolean[] none;

        Thresholds(Rendezvous ring) {
            double bound = (double) CANDIDATES / ring.totalWeight();
            Map<Integer, Long> byWeight = new HashMap<>();
            lowest = new int[ring.size()];
            none = new boolean[ring.size()];
            for (int i = 0; i < ring.size(); i++) {
                long threshold = byWeight.computeIfAbsent(ring.weight(i), weight -> lowestWithin(bound, weight));
                none[i] = threshold > 0xFFFF_FFFFL;
                lowest[i] = (int) threshold ^ Integer.MIN_VALUE;
            }
        }

        /** The lowest unsigned score whose cost at {@code weight} is at most {@code bound}, or 2^32 if none is. */
        private static long lowestWithin(double bound, int weight) {
            long low = 0;
            long high = 1L << 32; // the costs fall as scores rise: search the first within the bound
            while (low < high) {
                long middle = (low + high) >>> 1;
                if (Rendezvous.cost((int) middle ^ Integer.MIN_VALUE, weight) <= bound) {
                    high = middle;
                }
                else {
                    low = middle + 1;
                }
            }
            return low;
        }

        boolean within(int node, int score) {
            return !none[node] && score >= lowest[node];
        }

        boolean any(int node) {
            return !none[node];
        }

        int lowest(int node) {
            return lowest[node];
        }

        /** The lowest threshold of all nodes, or null when no node has one. */
        int lowestOfAll() {
            int all = Integer.MAX_VALUE;
            for (int i = 0; i < lowest.length; i++) {
                if (!none[i]) {
                    all = Math.min(all, lowest[i]);
                }
            }
            return all;
        }
    }

    /** One fresh build: the candidate list, then the slots block by block. */
    private static final class Build {

        private final Rendezvous ring;

        private final SlotTable table;

        private final Thresholds bounds;

        /** Where each block's candidates start in the arrays below; block {@code b} ends where {@code b + 1} starts. */
        private final int[] starts = new int[(SIZE >>> BLOCK_BITS) + 1];

        /** The low bits of each candidate value {@code x}, grouped by block. */
        private int[] lows = new int[0];

        /** The (flipped) score of each candidate. */
        private int[] scores = new int[0];

        /** {@code -ln(u)} of each candidate's score, when the nodes have weights. */
        private double[] lnInverses = new double[0];

        private final int[] best = new int[BLOCK];

        private final int[] bestScore = new int[BLOCK];

        private final double[] bestCost;

        Build(Rendezvous ring, SlotTable table) {
            this.ring = ring;
            this.table = table;
            this.bounds = new Thresholds(ring);
            this.bestCost = new double[ring.weighted() ? BLOCK : 0];
        }

        void run() {
            listCandidates(bounds.lowestOfAll());
            for (int block = 0; block < SIZE >>> BLOCK_BITS; block++) {
                fillBlock(block);
            }
        }

        /** Every {@code x < 2^23} whose score is at least {@code lowest}, grouped by block. */
        private void listCandidates(int lowest) {
            int[] counts = new int[SIZE >>> BLOCK_BITS];
            for (int x = 0; x < SIZE; x++) {
                if ((RingHash.fmix32(x) ^ Integer.MIN_VALUE) >= lowest) {
                    counts[x >>> BLOCK_BITS]++;
                }
            }
            for (int b = 0; b < counts.length; b++) {
                starts[b + 1] = starts[b] + counts[b];
            }
            int total = starts[counts.length];
            lows = new int[total];
            scores = new int[total];
            lnInverses = new double[ring.weighted() ? total : 0];
            int[] next = Arrays.copyOf(starts, counts.length);
            for (int x = 0; x < SIZE; x++) {
                int score = RingHash.fmix32(x) ^ Integer.MIN_VALUE;
                if (score >= lowest) {
                    int at = next[x >>> BLOCK_BITS]++;
                    lows[at] = x & BLOCK_MASK;
                    scores[at] = score;
                    if (ring.weighted()) {
                        lnInverses[at] = Rendezvous.lnInverse(score);
                    }
                }
            }
        }

        private void fillBlock(int block) {
            Arrays.fill(best, -1);
            for (int node = 0; node < ring.size(); node++) {
                if (bounds.any(node)) {
                    offer(block, node);
                }
            }
            int first = block << BLOCK_BITS;
            for (int j = 0; j < BLOCK; j++) {
                int slot = first | j;
                // no node's cost is below the bound here (one slot in e^8): score them all
                table.set(slot, best[j] >= 0 ? best[j] : ring.owner(slot, slot));
            }
        }

        /** Offers {@code node}'s candidates in {@code block}: its slots {@code x ^ k} for the listed {@code x}. */
        private void offer(int block, int node) {
            int key = ring.nodeKey(node);
            int source = block ^ (key >>> BLOCK_BITS);
            int low = key & BLOCK_MASK;
            int lowest = bounds.lowest(node);
            int first = block << BLOCK_BITS;
            int weight = ring.weight(node);
            boolean weighted = ring.weighted();
            for (int c = starts[source]; c < starts[source + 1]; c++) {
                int score = scores[c];
                if (score < lowest) {
                    continue;
                }
                int j = lows[c] ^ low;
                int holder = best[j];
                if (holder < 0) {
                    take(j, node, score, weighted ? lnInverses[c] / weight : 0);
                    continue;
                }
                if (weighted) {
                    double cost = lnInverses[c] / weight;
                    if (cost < bestCost[j] || (cost == bestCost[j]
                            && ring.scoresBefore(first | j, score, bestScore[j], node, holder))) {
                        take(j, node, score, cost);
                    }
                }
                else if (score > bestScore[j]
                        || (score == bestScore[j] && ring.scoresBefore(first | j, score, bestScore[j], node, holder))) {
                    take(j, node, score, 0);
                }
            }
        }

        private void take(int j, int node, int score, double cost) {
            best[j] = node;
            bestScore[j] = score;
            if (bestCost.length > 0) {
                bestCost[j] = cost;
            }
        }
    }
}
