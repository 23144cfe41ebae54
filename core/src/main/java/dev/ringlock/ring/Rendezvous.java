package dev.ringlock.ring;

import java.util.Arrays;

/**
 * Weighted rendezvous (highest random weight) ranking of a ring's nodes for one key, the owner rule of every
 * {@link RingRoute}: node {@code i} scores {@code fmix32(key32 ^ nodeKeys[i])}; without weights the highest
 * score (unsigned) wins, with weights the lowest {@link #cost}; a tie of costs goes to the higher score, and a
 * tie of scores (two equal node keys) to the higher {@code fmix64(key64 ^ hash)}. The route decides what
 * {@code key32}, {@code key64} and the node keys are.
 */
final class Rendezvous {

    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[64]);

    private final long[] hashes;

    /** The route's 32-bit key of each node: what the scores are computed from. */
    private final int[] nodeKeys;

    private final int[] weights;

    /** False when every node has the same weight: the unweighted comparison gives the same ranking, faster. */
    private final boolean weighted;

    /** Whether two nodes' keys are equal, so that their 32-bit scores tie on every key. */
    private final boolean nodeKeysCollide;

    private final long totalWeight;

    Rendezvous(RingRoute route, long[] hashes, int[] weights) {
        this.hashes = hashes;
        this.nodeKeys = Arrays.stream(hashes).mapToInt(route::nodeKey).toArray();
        this.weights = weights;
        this.weighted = Arrays.stream(weights).distinct().count() > 1;
        this.nodeKeysCollide = Arrays.stream(nodeKeys).distinct().count() < nodeKeys.length;
        this.totalWeight = Arrays.stream(weights).asLongStream().sum();
    }

    int size() {
        return hashes.length;
    }

    boolean weighted() {
        return weighted;
    }

    long totalWeight() {
        return totalWeight;
    }

    int weight(int node) {
        return weights[node];
    }

    int nodeKey(int node) {
        return nodeKeys[node];
    }

    /** Node {@code node}'s score for the key, its sign bit flipped so that signed order is unsigned order. */
    int score(int key32, int node) {
        return RingHash.fmix32(key32 ^ nodeKeys[node]) ^ Integer.MIN_VALUE;
    }

    /** The index of the node that owns the key. */
    int owner(int key32, long key64) {
        int count = hashes.length;
        int[] scores = scores(key32, scratch(count));
        if (weighted) {
            int best = 0;
            double bestCost = cost(scores[0], weights[0]);
            for (int i = 1; i < count; i++) {
                double cost = cost(scores[i], weights[i]);
                if (cost < bestCost || (cost == bestCost && scoresBefore(key64, scores[i], scores[best], i, best))) {
                    best = i;
                    bestCost = cost;
                }
            }
            return best;
        }
        // the highest score changes a handful of times in a pass, so this branch is nearly always predicted
        int best = 0;
        int highest = scores[0];
        for (int i = 1; i < count; i++) {
            int score = scores[i];
            if (score > highest) {
                highest = score;
                best = i;
            }
        }
        if (nodeKeysCollide) {
            for (int i = best + 1; i < count; i++) {
                if (scores[i] == highest && scoresBefore(key64, scores[i], scores[best], i, best)) {
                    best = i;
                }
            }
        }
        return best;
    }

    /** The indexes of the first {@code count} nodes of the key's preference order. */
    int[] ranking(int key32, long key64, int count) {
        int size = hashes.length;
        int[] scores = scores(key32, scratch(size));
        double[] costs = new double[weighted ? size : 0];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = cost(scores[i], weights[i]);
        }
        int wanted = Math.min(count, size);
        boolean[] taken = new boolean[size];
        int[] ranking = new int[wanted];
        for (int rank = 0; rank < wanted; rank++) {
            int best = -1;
            for (int i = 0; i < size; i++) {
                if (!taken[i] && (best < 0 || precedes(key64, scores[i], scores[best], costs, i, best))) {
                    best = i;
                }
            }
            taken[best] = true;
            ranking[rank] = best;
        }
        return ranking;
    }

    /** Whether node {@code a} comes before node {@code b} for the key (the slot table's incremental updates). */
    boolean precedes(int key32, long key64, int a, int b) {
        int scoreA = score(key32, a);
        int scoreB = score(key32, b);
        if (weighted) {
            double costA = cost(scoreA, weights[a]);
            double costB = cost(scoreB, weights[b]);
            if (costA != costB) {
                return costA < costB;
            }
        }
        return scoresBefore(key64, scoreA, scoreB, a, b);
    }

    private boolean precedes(long key64, int scoreA, int scoreB, double[] costs, int a, int b) {
        if (weighted && costs[a] != costs[b]) {
            return costs[a] < costs[b];
        }
        return scoresBefore(key64, scoreA, scoreB, a, b);
    }

    /** Whether node {@code a}, with {@code scoreA}, comes before node {@code b}, with {@code scoreB}, weights aside. */
    boolean scoresBefore(long key64, int scoreA, int scoreB, int a, int b) {
        if (scoreA != scoreB) {
            return scoreA > scoreB;
        }
        // two nodes share a node key, so their scores tie on every key: the 64-bit score decides
        return Long.compareUnsigned(RingHash.fmix64(key64 ^ hashes[a]), RingHash.fmix64(key64 ^ hashes[b])) > 0;
    }

    /** Fills {@code into} with every node's {@link #score}. */
    private int[] scores(int key32, int[] into) {
        int[] keys = nodeKeys;
        // a plain loop over int arrays, which the JIT turns into SIMD code (three times faster than scalar here)
        for (int i = 0; i < keys.length; i++) {
            into[i] = RingHash.fmix32(key32 ^ keys[i]) ^ Integer.MIN_VALUE;
        }
        return into;
    }

    /** The cost of a node with {@code weight} and {@code score} (as {@link #score} gives it); lowest wins. */
    static double cost(int score, int weight) {
        return lnInverse(score) / weight;
    }

    /** {@code -ln(u)} for the score's {@code u = (unsigned score + 1) / 2^32}: a cost before the weight divides it. */
    static double lnInverse(int score) {
        double u = (Integer.toUnsignedLong(score ^ Integer.MIN_VALUE) + 1) * 0x1.0p-32;
        // StrictMath: the same bits on every JVM, so routes do not depend on the platform's log
        return -StrictMath.log(u);
    }

    /** This thread's score buffer, at least {@code count} long: a lookup allocates nothing after the first. */
    private static int[] scratch(int count) {
        int[] scores = SCRATCH.get();
        if (scores.length < count) {
            scores = new int[Math.max(count, scores.length * 2)];
            SCRATCH.set(scores);
        }
        return scores;
    }
}
