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
 * hashing, by one of the {@link RingRoute} versions ({@link RingRoute#SLOTS} unless the builder names another).
 * <p>
 * Every node scores a key with {@code fmix32(key ^ node)} ({@link RingHash}), where the route says which bits of
 * the key's and the node's hashes enter: {@link RingRoute#RENDEZVOUS} scores the key's hash itself,
 * {@link RingRoute#SLOTS} the key's slot (the top 23 bits of its hash), so that a ring of many nodes can keep
 * each slot's owner in a table. The node with the highest score (compared as unsigned) owns the key; when the
 * nodes have different weights, a score {@code s} becomes the cost {@code -ln((s + 1) / 2^32) / weight} and the
 * lowest cost wins, which gives each node its weight's share of the key space. So the route of a key depends
 * only on the key's UTF-8 bytes, the route version and the set of (node id, weight), and:
 * <ul>
 * <li>balance is that of independent random choices: a node's share deviates from its weight's share only
 * by sampling noise, with no virtual nodes to tune;</li>
 * <li>adding a node moves exactly the keys it now scores highest on, all of them to the new node;
 * removing a node moves only the keys it owned;</li>
 * <li>the ranking of all nodes for a key is the replica preference list ({@link #nodesFor}).</li>
 * </ul>
 * A lookup takes no lock and allocates nothing: it reads the slot table, or scores the nodes in one loop over
 * primitive arrays that the JIT vectorizes (each thread reuses one score buffer). {@link #withNode} and
 * {@link #withoutNode} update a slot table in one pass instead of building it again.
 */
public final class HashRing {

    private static final HashRing EMPTY = new HashRing(RingRoute.SLOTS, new String[0], new long[0], new int[0], null);

    private static final HashRing EMPTY_V1 = new HashRing(RingRoute.RENDEZVOUS, new String[0], new long[0], new int[0],
            null);

    private final RingRoute route;

    private final String[] ids;

    private final long[] hashes;

    private final int[] weights;

    private final Rendezvous rendezvous;

    /** The owner of each slot ({@link RingRoute#SLOTS} from {@link SlotTable#MIN_NODES} nodes), or null. */
    private final @Nullable SlotTable table;

    private final long totalWeight;

    /**
     * A ring of these nodes with {@code table} as its slot table; a ring whose route and size call for a table
     * is built without one only on the way to {@link #withTable} or {@link #withTableIfDue}.
     */
    private HashRing(RingRoute route, String[] ids, long[] hashes, int[] weights, @Nullable SlotTable table) {
        this(route, ids, hashes, weights, new Rendezvous(route, hashes, weights), table);
    }

    private HashRing(RingRoute route, String[] ids, long[] hashes, int[] weights, Rendezvous rendezvous,
            @Nullable SlotTable table) {
        this.route = route;
        this.ids = ids;
        this.hashes = hashes;
        this.weights = weights;
        this.rendezvous = rendezvous;
        this.table = table;
        this.totalWeight = rendezvous.totalWeight();
    }

    private static boolean hasTable(RingRoute route, int nodes) {
        return route == RingRoute.SLOTS && nodes >= SlotTable.MIN_NODES;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A ring with no node, of the default route: every lookup throws {@link NoRouteException}. */
    public static HashRing empty() {
        return EMPTY;
    }

    /** A ring with no node that routes by {@code route} once nodes join it. */
    public static HashRing empty(RingRoute route) {
        return route == RingRoute.SLOTS ? EMPTY : EMPTY_V1;
    }

    /** The ring of {@code nodes}, each with weight 1, routed by the default route, {@link RingRoute#SLOTS}. */
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
        SlotTable slots = table;
        if (slots != null) {
            return ids[slots.owner(SlotTable.slotOf(keyHash))];
        }
        return ids[rendezvous.owner(route.key32(keyHash), route.key64(keyHash))];
    }

    /**
     * The first {@code count} nodes of {@code key}'s preference order, distinct, the first equal to
     * {@link #nodeFor(String)}; all nodes, in that order, when the ring has fewer than {@code count}. When a
     * node leaves, each key it owned goes to the next node of that key's order.
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
        int[] ranking = rendezvous.ranking(route.key32(keyHash), route.key64(keyHash), count);
        List<String> nodes = new ArrayList<>(ranking.length);
        for (int node : ranking) {
            nodes.add(ids[node]);
        }
        return Collections.unmodifiableList(nodes);
    }

    /** A ring with the nodes of this one plus {@code id} with weight 1. */
    public HashRing withNode(String id) {
        return withNode(id, 1);
    }

    /**
     * A ring with the nodes of this one plus {@code id} with {@code weight}. A slot table is updated in one pass
     * (a join moves slots only to the new node), giving the table a fresh build would.
     * @throws IllegalArgumentException if {@code id} is blank or already a node, or the weight is below 1
     */
    public HashRing withNode(String id, int weight) {
        HashRing next = toBuilder().node(id, weight).buildWithoutTable();
        if (table == null || !hasTable(route, next.size())) {
            return next.withTableIfDue();
        }
        int added = next.indexOf(id);
        return next.withTable(SlotTable.joined(table, next.rendezvous, added, renumbering(next)));
    }

    /**
     * A ring with the nodes of this one but {@code id}. A slot table is updated in one pass (only the leaver's
     * slots change owner), giving the table a fresh build would.
     * @throws IllegalArgumentException if {@code id} is not a node of this ring
     */
    public HashRing withoutNode(String id) {
        int removed = indexOf(id);
        if (removed < 0) {
            throw new IllegalArgumentException("The ring has no node '" + id + "' to remove");
        }
        Builder builder = builder().route(route);
        for (int i = 0; i < ids.length; i++) {
            if (i != removed) {
                builder.node(ids[i], weights[i]);
            }
        }
        HashRing next = builder.buildWithoutTable();
        if (table == null || !hasTable(route, next.size())) {
            return next.withTableIfDue();
        }
        return next.withTable(SlotTable.left(table, next.rendezvous, removed, renumbering(next)));
    }

    /** The route version this ring computes. */
    public RingRoute route() {
        return route;
    }

    /** The node ids, in ascending order. */
    public Set<String> nodes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(ids)));
    }

    /** The weight of {@code id}, or 0 if it is not a node of this ring. */
    public int weight(String id) {
        int i = indexOf(id);
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

    /** A builder holding this ring's route, nodes and weights. */
    public Builder toBuilder() {
        Builder builder = builder().route(route);
        for (int i = 0; i < ids.length; i++) {
            builder.node(ids[i], weights[i]);
        }
        return builder;
    }

    /** The slot table's owner of each slot, as node ids' indexes, or null without a table (for tests). */
    @Nullable SlotTable slotTable() {
        return table;
    }

    private int indexOf(String id) {
        return Arrays.binarySearch(ids, id);
    }

    /** For each node of this ring, its index in {@code next} (-1 if it is not there). */
    private int[] renumbering(HashRing next) {
        int[] renumbered = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            renumbered[i] = next.indexOf(ids[i]);
        }
        return renumbered;
    }

    private HashRing withTable(SlotTable slots) {
        return new HashRing(route, ids, hashes, weights, rendezvous, slots);
    }

    /** This ring, with its slot table built if its route and size call for one. */
    private HashRing withTableIfDue() {
        return table == null && hasTable(route, ids.length) ? withTable(SlotTable.build(rendezvous)) : this;
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
        StringBuilder sb = new StringBuilder("HashRing[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ids[i]);
            if (rendezvous.weighted()) {
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

        /**
         * The route version of the ring: {@link RingRoute#SLOTS} unless set. Instances that must agree on routes
         * must use the same version.
         */
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
         * The ring of the nodes added. With {@link RingRoute#SLOTS} and at least {@value SlotTable#MIN_NODES} nodes
         * this builds the slot table: 2^23 entries, about a fifth of a second (see {@code docs/hash-ring.md}).
         */
        public HashRing build() {
            return buildWithoutTable().withTableIfDue();
        }

        /** The ring of the nodes added, without a slot table yet (a caller updating one builds none). */
        private HashRing buildWithoutTable() {
            if (nodes.isEmpty()) {
                return empty(route);
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
            return new HashRing(route, ids, hashes, weights, null);
        }
    }
}
