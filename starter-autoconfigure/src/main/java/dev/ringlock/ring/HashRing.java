package dev.ringlock.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * An immutable consistent-hash ring: maps keys to nodes by weighted rendezvous (highest random weight)
 * hashing.
 * <p>
 * Every node scores every key with {@code fmix64(hash(key) ^ hash(node))} ({@link RingHash}); the node with
 * the highest score (compared as unsigned) owns the key. When the nodes have different weights, a node's
 * score {@code s} is turned into {@code -ln(u) / weight}, with {@code u = ((s >>> 11) + 1) / 2^53}, and the
 * lowest wins, which gives each node exactly its weight's share of the key space. The route of a key
 * therefore depends only on the key's UTF-8 bytes and the set of (node id, weight), and:
 * <ul>
 * <li>balance is that of independent random choices: a node's share deviates from its weight's share only
 * by sampling noise, with no virtual nodes to tune;</li>
 * <li>adding a node moves exactly the keys it now scores highest on, all of them to the new node;
 * removing a node moves only the keys it owned;</li>
 * <li>the ranking of all nodes for a key is the replica preference list ({@link #nodesFor}).</li>
 * </ul>
 * A lookup reads two primitive arrays, takes no lock and allocates nothing.
 */
public final class HashRing {

    private static final HashRing EMPTY = new HashRing(new String[0], new long[0], new int[0]);

    private final String[] ids;

    private final long[] hashes;

    private final int[] weights;

    /** Null when every node has the same weight: the unweighted comparison gives the same ranking, faster. */
    private final double @Nullable [] inverseWeights;

    private final long totalWeight;

    private HashRing(String[] ids, long[] hashes, int[] weights) {
        this.ids = ids;
        this.hashes = hashes;
        this.weights = weights;
        this.inverseWeights = uniform(weights) ? null : inverses(weights);
        this.totalWeight = Arrays.stream(weights).asLongStream().sum();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A ring with no node: every lookup throws {@link NoRouteException}. */
    public static HashRing empty() {
        return EMPTY;
    }

    /** The ring of {@code nodes}, each with weight 1. */
    public static HashRing of(Iterable<String> nodes) {
        Builder builder = builder();
        nodes.forEach(builder::node);
        return builder.build();
    }

    /**
     * The node that owns {@code key}.
     * @throws NoRouteException if the ring has no node
     */
    public String nodeFor(String key) {
        requireKey(key);
        if (ids.length == 0) {
            throw new NoRouteException(key);
        }
        long keyHash = RingHash.hash(key);
        return ids[inverseWeights == null ? highestScore(keyHash) : lowestWeightedCost(keyHash, inverseWeights)];
    }

    /**
     * The first {@code count} nodes of {@code key}'s preference order, distinct, the first equal to
     * {@link #nodeFor(String)}; all nodes, in that order, when the ring has fewer than {@code count}.
     * @throws NoRouteException if the ring has no node
     */
    public List<String> nodesFor(String key, int count) {
        requireKey(key);
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        if (ids.length == 0) {
            throw new NoRouteException(key);
        }
        long keyHash = RingHash.hash(key);
        int wanted = Math.min(count, ids.length);
        boolean[] taken = new boolean[ids.length];
        List<String> nodes = new ArrayList<>(wanted);
        for (int rank = 0; rank < wanted; rank++) {
            int best = -1;
            for (int i = 0; i < ids.length; i++) {
                if (!taken[i] && (best < 0 || ranksBefore(keyHash, i, best))) {
                    best = i;
                }
            }
            taken[best] = true;
            nodes.add(ids[best]);
        }
        return Collections.unmodifiableList(nodes);
    }

    /** A ring with the nodes of this one plus {@code id} with weight 1. */
    public HashRing withNode(String id) {
        return withNode(id, 1);
    }

    /** A ring with the nodes of this one plus {@code id} with {@code weight}. */
    public HashRing withNode(String id, int weight) {
        return toBuilder().node(id, weight).build();
    }

    /**
     * A ring with the nodes of this one but {@code id}.
     * @throws IllegalArgumentException if {@code id} is not a node of this ring
     */
    public HashRing withoutNode(String id) {
        Builder builder = builder();
        boolean found = false;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                found = true;
            }
            else {
                builder.node(ids[i], weights[i]);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("The ring has no node '" + id + "' to remove");
        }
        return builder.build();
    }

    /** The node ids, in ascending order. */
    public Set<String> nodes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(ids)));
    }

    /** The weight of {@code id}, or 0 if it is not a node of this ring. */
    public int weight(String id) {
        int i = Arrays.binarySearch(ids, id);
        return i < 0 ? 0 : weights[i];
    }

    /** The fraction of the key space {@code id} owns: its weight over the total (0 if it is not a node). */
    public double share(String id) {
        return totalWeight == 0 ? 0 : (double) weight(id) / totalWeight;
    }

    public int size() {
        return ids.length;
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }

    /** A builder holding this ring's nodes and weights. */
    public Builder toBuilder() {
        Builder builder = builder();
        for (int i = 0; i < ids.length; i++) {
            builder.node(ids[i], weights[i]);
        }
        return builder;
    }

    private int highestScore(long keyHash) {
        long[] nodeHashes = hashes;
        int best = 0;
        long bestScore = RingHash.fmix64(keyHash ^ nodeHashes[0]);
        for (int i = 1; i < nodeHashes.length; i++) {
            long score = RingHash.fmix64(keyHash ^ nodeHashes[i]);
            if (Long.compareUnsigned(score, bestScore) > 0) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    private int lowestWeightedCost(long keyHash, double[] inverse) {
        int best = 0;
        long bestScore = RingHash.fmix64(keyHash ^ hashes[0]);
        double bestCost = weightedCost(bestScore, inverse[0]);
        for (int i = 1; i < hashes.length; i++) {
            long score = RingHash.fmix64(keyHash ^ hashes[i]);
            double cost = weightedCost(score, inverse[i]);
            if (cost < bestCost || (cost == bestCost && Long.compareUnsigned(score, bestScore) > 0)) {
                best = i;
                bestScore = score;
                bestCost = cost;
            }
        }
        return best;
    }

    /** Whether node {@code a} comes before node {@code b} in {@code keyHash}'s preference order. */
    private boolean ranksBefore(long keyHash, int a, int b) {
        long scoreA = RingHash.fmix64(keyHash ^ hashes[a]);
        long scoreB = RingHash.fmix64(keyHash ^ hashes[b]);
        if (inverseWeights != null) {
            double costA = weightedCost(scoreA, inverseWeights[a]);
            double costB = weightedCost(scoreB, inverseWeights[b]);
            if (costA != costB) {
                return costA < costB;
            }
        }
        // node hashes are distinct (the builder checks), so equal scores cannot happen; this breaks a tie of
        // costs, which rounding can produce
        return Long.compareUnsigned(scoreA, scoreB) > 0;
    }

    private static double weightedCost(long score, double inverseWeight) {
        double u = ((score >>> 11) + 1) * 0x1.0p-53;
        // StrictMath: the same bits on every JVM, so routes do not depend on the platform's log
        return -StrictMath.log(u) * inverseWeight;
    }

    private static void requireKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
    }

    private static boolean uniform(int[] weights) {
        return Arrays.stream(weights).distinct().count() <= 1;
    }

    private static double[] inverses(int[] weights) {
        return Arrays.stream(weights).mapToDouble(w -> 1.0 / w).toArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HashRing ring && Arrays.equals(ids, ring.ids) && Arrays.equals(weights, ring.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HashRing[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ids[i]);
            if (inverseWeights != null) {
                sb.append('*').append(weights[i]);
            }
        }
        return sb.append(']').toString();
    }

    /**
     * Collects nodes for a {@link HashRing}. The order of the calls does not matter.
     */
    public static final class Builder {

        private final Map<String, Integer> nodes = new TreeMap<>();

        private Builder() {
        }

        /** Adds {@code id} with weight 1. */
        public Builder node(String id) {
            return node(id, 1);
        }

        /**
         * Adds {@code id} with {@code weight}: its share of the key space is its weight over the total.
         * @throws IllegalArgumentException if the id is blank or already added, or the weight is below 1
         */
        public Builder node(String id, int weight) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("node id must not be blank, was " + (id == null ? "null" : "'" + id + "'"));
            }
            if (weight < 1) {
                throw new IllegalArgumentException("weight of node '" + id + "' must be at least 1, was " + weight);
            }
            if (nodes.putIfAbsent(id, weight) != null) {
                throw new IllegalArgumentException("duplicate node id '" + id + "'");
            }
            return this;
        }

        /** Adds every id of {@code ids} with weight 1. */
        public Builder nodes(Iterable<String> ids) {
            ids.forEach(this::node);
            return this;
        }

        public HashRing build() {
            if (nodes.isEmpty()) {
                return EMPTY;
            }
            String[] ids = nodes.keySet().toArray(String[]::new);
            int[] weights = nodes.values().stream().mapToInt(Integer::intValue).toArray();
            long[] hashes = new long[ids.length];
            Map<Long, String> seen = new TreeMap<>();
            for (int i = 0; i < ids.length; i++) {
                hashes[i] = RingHash.hash(ids[i]);
                String clash = seen.putIfAbsent(hashes[i], ids[i]);
                if (clash != null) {
                    // a 64-bit collision of two ids: practically never, but then both would score alike
                    throw new IllegalArgumentException("node ids '" + clash + "' and '" + ids[i]
                            + "' have the same ring hash; rename one of them");
                }
            }
            return new HashRing(ids, hashes, weights);
        }
    }
}
