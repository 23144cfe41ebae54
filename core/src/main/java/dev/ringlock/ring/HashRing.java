package dev.ringlock.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * An immutable consistent-hash ring: maps keys to nodes by weighted rendezvous (highest random weight)
 * hashing.
 * <p>
 * Every node scores every key with {@code fmix32(fold(hash(key)) ^ fold(hash(node)))} ({@link RingHash});
 * the node with the highest score (compared as unsigned) owns the key, and a tie, possible only between two
 * nodes whose folded hashes are equal, goes to the higher {@code fmix64(hash(key) ^ hash(node))}. When the
 * nodes have different weights, a score {@code s} becomes the cost {@code -ln((s + 1) / 2^32) / weight}
 * and the lowest cost wins, which gives each node exactly its weight's share of the key space. So the
 * route of a key depends only on the key's UTF-8 bytes and the set of (node id, weight), and:
 * <ul>
 * <li>balance is that of independent random choices: a node's share deviates from its weight's share only
 * by sampling noise, with no virtual nodes to tune;</li>
 * <li>adding a node moves exactly the keys it now scores highest on, all of them to the new node;
 * removing a node moves only the keys it owned;</li>
 * <li>the ranking of all nodes for a key is the replica preference list ({@link #nodesFor}).</li>
 * </ul>
 * What is scored is the ring's {@link RingRoute}:
 * <ul>
 * <li>{@link RingRoute#SLOTS} (the default): the key's slot {@code s = hash(key) >>> 41}
 * ({@link RingHash#slot(long)}, one of 2^23), with {@link RingHash#slotHash(int) fmix64(0x52494E47_00000000 | s)}
 * standing for {@code hash(key)} in the scores above. Keys of one slot always share their nodes, and the
 * properties above hold slot by slot. A ring of at least {@value #SLOT_TABLE_MIN_NODES} nodes, all of the
 * same weight, keeps each slot's owner in a table (8 MiB up to 256 nodes, 16 MiB above), so {@link #nodeFor}
 * is one hash and one array read whatever the size; smaller or weighted rings score the nodes per lookup,
 * which gives the same answers. {@link #withNode} and {@link #withoutNode} derive the table from this ring's:
 * a new node is scored against each slot's owner, a removed node's slots alone are scored again.</li>
 * <li>{@link RingRoute#RENDEZVOUS} (version 1): the key's own hash is scored, every node per lookup.</li>
 * </ul>
 * A per-lookup score runs one loop over primitive arrays that the JIT vectorizes; no lookup takes a lock or
 * allocates (each thread reuses one score buffer).
 */
public final class HashRing {

    /**
     * The fewest nodes for which a {@link RingRoute#SLOTS} ring keeps a slot table: below, scoring the nodes
     * per lookup is about as fast and saves the table's 8 MiB and its build.
     */
    public static final int SLOT_TABLE_MIN_NODES = 32;

    private static final HashRing EMPTY = new HashRing(new String[0], new long[0], new int[0], RingRoute.SLOTS, null);

    private static final HashRing EMPTY_RENDEZVOUS = new HashRing(new String[0], new long[0], new int[0],
            RingRoute.RENDEZVOUS, null);

    private final String[] ids;

    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[64]);

    private final long[] hashes;

    /** {@link RingHash#fold(long)} of each node's hash: what the scores are computed from. */
    private final int[] hashes32;

    private final int[] weights;

    /** False when every node has the same weight: the unweighted comparison gives the same ranking, faster. */
    private final boolean weighted;

    /** Whether two nodes' folded hashes are equal, so that their 32-bit scores tie on every key. */
    private final boolean foldedHashesCollide;

    private final long totalWeight;

    private final RingRoute route;

    /** Each slot's owner, for a {@link RingRoute#SLOTS} ring that {@link #wantsTable() wants one}; else null. */
    private final @Nullable SlotTable table;

    private HashRing(String[] ids, long[] hashes, int[] weights, RingRoute route, @Nullable SlotTable table) {
        this.ids = ids;
        this.route = route;
        this.table = table;
        this.hashes = hashes;
        this.hashes32 = Arrays.stream(hashes).mapToInt(RingHash::fold).toArray();
        this.weights = weights;
        this.weighted = Arrays.stream(weights).distinct().count() > 1;
        this.foldedHashesCollide = Arrays.stream(hashes32).distinct().count() < hashes32.length;
        this.totalWeight = Arrays.stream(weights).asLongStream().sum();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A {@link RingRoute#SLOTS} ring with no node: every lookup throws {@link NoRouteException}. */
    public static HashRing empty() {
        return EMPTY;
    }

    /** The {@link RingRoute#SLOTS} ring of {@code nodes}, each with weight 1. */
    public static HashRing of(Iterable<String> nodes) {
        return of(nodes, RingRoute.SLOTS);
    }

    /** The ring of {@code nodes}, each with weight 1, routing by {@code route}. */
    public static HashRing of(Iterable<String> nodes, RingRoute route) {
        Builder builder = builder().route(route);
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
        if (route == RingRoute.RENDEZVOUS) {
            return ids[owner(keyHash)];
        }
        int slot = RingHash.slot(keyHash);
        SlotTable slots = table;
        return ids[slots != null ? slots.owner(slot) : owner(RingHash.slotHash(slot))];
    }

    /**
     * The node that owns the keys of {@code slot} ({@link RingHash#slot(long)}) on a {@link RingRoute#SLOTS}
     * ring: with it, data can be moved or counted slot by slot.
     * @throws IllegalStateException if this ring routes by {@link RingRoute#RENDEZVOUS}, which has no slots
     * @throws IllegalArgumentException if {@code slot} is not between 0 and {@link RingHash#SLOTS} - 1
     * @throws NoRouteException if the ring has no node
     */
    public String nodeForSlot(int slot) {
        if (route != RingRoute.SLOTS) {
            throw new IllegalStateException("A " + route + " ring has no slots");
        }
        if (slot < 0 || slot >= RingHash.SLOTS) {
            throw new IllegalArgumentException("slot must be between 0 and " + (RingHash.SLOTS - 1) + ", was " + slot);
        }
        if (ids.length == 0) {
            throw new NoRouteException("slot " + slot);
        }
        SlotTable slots = table;
        return ids[slots != null ? slots.owner(slot) : owner(RingHash.slotHash(slot))];
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
        long keyHash = scored(RingHash.hash(key));
        int[] scores = scores(keyHash, scratch(ids.length));
        double[] costs = new double[weighted ? ids.length : 0];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = weightedCost(scores[i], weights[i]);
        }
        int wanted = Math.min(count, ids.length);
        boolean[] taken = new boolean[ids.length];
        List<String> nodes = new ArrayList<>(wanted);
        for (int rank = 0; rank < wanted; rank++) {
            int best = -1;
            for (int i = 0; i < ids.length; i++) {
                if (!taken[i] && (best < 0 || precedes(keyHash, scores, costs, i, best))) {
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
        HashRing next = toBuilder().node(id, weight).buildBare();
        if (!next.wantsTable()) {
            return next;
        }
        SlotTable slots = table;
        if (slots == null) {
            return next.withTable(next.fullTable());
        }
        // this ring has a table, so it is unweighted, and so is the next one: the new node has the same weight
        int index = Arrays.binarySearch(next.ids, id);
        return next.withTable(slots.withNodeAt(index, next.ids.length, next::slotBeats));
    }

    /**
     * A ring with the nodes of this one but {@code id}.
     * @throws IllegalArgumentException if {@code id} is not a node of this ring
     */
    public HashRing withoutNode(String id) {
        Builder builder = builder().route(route);
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
        HashRing next = builder.buildBare();
        if (!next.wantsTable()) {
            return next;
        }
        SlotTable slots = table;
        if (slots == null) {
            // removing the one node of another weight made the ring unweighted
            return next.withTable(next.fullTable());
        }
        return next.withTable(slots.withoutNodeAt(Arrays.binarySearch(ids, id), next.ids.length, next::slotOwner));
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

    /** The function this ring routes keys by. */
    public RingRoute route() {
        return route;
    }

    /** A builder holding this ring's nodes, weights and route. */
    public Builder toBuilder() {
        Builder builder = builder().route(route);
        for (int i = 0; i < ids.length; i++) {
            builder.node(ids[i], weights[i]);
        }
        return builder;
    }

    /** The slot table, null when this ring scores per lookup (for tests). */
    @Nullable SlotTable slotTable() {
        return table;
    }

    /** What the nodes score for a key of {@code keyHash}: the hash itself, or its slot's hash. */
    private long scored(long keyHash) {
        return route == RingRoute.SLOTS ? RingHash.slotHash(RingHash.slot(keyHash)) : keyHash;
    }

    /** Whether this ring keeps a slot table: a {@link RingRoute#SLOTS} ring, unweighted, of enough nodes. */
    private boolean wantsTable() {
        return route == RingRoute.SLOTS && !weighted && ids.length >= SLOT_TABLE_MIN_NODES
                && ids.length <= SlotTable.MAX_NODES;
    }

    /** This ring with {@code slots} as its table. */
    private HashRing withTable(SlotTable slots) {
        return new HashRing(ids, hashes, weights, route, slots);
    }

    /** Every slot's owner, computed from scratch. */
    private SlotTable fullTable() {
        // equal folded hashes tie on every score, and only the node-by-node scoring breaks those ties
        return foldedHashesCollide ? SlotTable.build(ids.length, this::slotOwner) : SlotTable.buildUnweighted(hashes32);
    }

    /** The index of the node that owns {@code slot}, scored over every node. */
    private int slotOwner(int slot) {
        return owner(RingHash.slotHash(slot));
    }

    /** Whether the node at {@code challenger} comes before the node at {@code owner} on {@code slot}. */
    private boolean slotBeats(int slot, int challenger, int owner) {
        long slotHash = RingHash.slotHash(slot);
        int slotHash32 = RingHash.fold(slotHash);
        int a = RingHash.fmix32(slotHash32 ^ hashes32[challenger]);
        int b = RingHash.fmix32(slotHash32 ^ hashes32[owner]);
        if (a != b) {
            return Integer.compareUnsigned(a, b) > 0;
        }
        return Long.compareUnsigned(score64(slotHash, challenger), score64(slotHash, owner)) > 0;
    }

    /** The index of the node that owns the key (or slot) of {@code keyHash}, scored over every node. */
    private int owner(long keyHash) {
        int count = ids.length;
        int[] scores = scores(keyHash, scratch(count));
        if (weighted) {
            int best = 0;
            double bestCost = weightedCost(scores[0], weights[0]);
            for (int i = 1; i < count; i++) {
                double cost = weightedCost(scores[i], weights[i]);
                if (cost < bestCost || (cost == bestCost && scoresBefore(keyHash, scores, i, best))) {
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
        if (foldedHashesCollide) {
            for (int i = best + 1; i < count; i++) {
                if (scores[i] == highest && scoresBefore(keyHash, scores, i, best)) {
                    best = i;
                }
            }
        }
        return best;
    }

    /**
     * Fills {@code into} with every node's score for the key, its sign bit flipped so that signed order is
     * the unsigned order of the scores.
     */
    private int[] scores(long keyHash, int[] into) {
        int keyHash32 = RingHash.fold(keyHash);
        int[] nodeHashes = hashes32;
        // a plain loop over int arrays, which the JIT turns into SIMD code (three times faster than scalar here)
        for (int i = 0; i < nodeHashes.length; i++) {
            into[i] = RingHash.fmix32(keyHash32 ^ nodeHashes[i]) ^ Integer.MIN_VALUE;
        }
        return into;
    }

    /** Whether node {@code a} comes before node {@code b} in the key's preference order. */
    private boolean precedes(long keyHash, int[] scores, double[] costs, int a, int b) {
        if (weighted && costs[a] != costs[b]) {
            return costs[a] < costs[b];
        }
        return scoresBefore(keyHash, scores, a, b);
    }

    /** Whether node {@code a} comes before node {@code b} in the key's preference order, weights aside. */
    private boolean scoresBefore(long keyHash, int[] scores, int a, int b) {
        if (scores[a] != scores[b]) {
            return scores[a] > scores[b];
        }
        // two nodes share a folded hash, so their scores tie on every key: the 64-bit score decides
        return Long.compareUnsigned(score64(keyHash, a), score64(keyHash, b)) > 0;
    }

    private long score64(long keyHash, int node) {
        return RingHash.fmix64(keyHash ^ hashes[node]);
    }

    /** The cost of a node with {@code weight} and {@code score} (as {@link #scores} gives it); lowest wins. */
    private static double weightedCost(int score, int weight) {
        double u = (Integer.toUnsignedLong(score ^ Integer.MIN_VALUE) + 1) * 0x1.0p-32;
        // StrictMath: the same bits on every JVM, so routes do not depend on the platform's log
        return -StrictMath.log(u) / weight;
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

    private static void requireKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HashRing ring && route == ring.route && Arrays.equals(ids, ring.ids)
                && Arrays.equals(weights, ring.weights);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * route.hashCode() + Arrays.hashCode(ids)) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HashRing[").append(route.name().toLowerCase(Locale.ROOT))
                .append(':');
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? " " : ", ").append(ids[i]);
            if (weighted) {
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

        private RingRoute route = RingRoute.SLOTS;

        private Builder() {
        }

        /** Routes keys by {@code route}; {@link RingRoute#SLOTS} unless set. */
        public Builder route(RingRoute route) {
            if (route == null) {
                throw new IllegalArgumentException("route must not be null");
            }
            this.route = route;
            return this;
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

        /**
         * The ring; for a {@link RingRoute#SLOTS} ring of at least {@value #SLOT_TABLE_MIN_NODES} equal-weight
         * nodes this computes every slot's owner (on the common fork-join pool), which takes a while for a large
         * ring: derive a ring that differs by a node from one you have with {@link #withNode} or
         * {@link #withoutNode} instead.
         */
        public HashRing build() {
            HashRing ring = buildBare();
            return ring.wantsTable() ? ring.withTable(ring.fullTable()) : ring;
        }

        /** The ring without its slot table. */
        private HashRing buildBare() {
            if (nodes.isEmpty()) {
                return route == RingRoute.SLOTS ? EMPTY : EMPTY_RENDEZVOUS;
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
            return new HashRing(ids, hashes, weights, route, null);
        }
    }
}
