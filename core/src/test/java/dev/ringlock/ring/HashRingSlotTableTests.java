package dev.ringlock.ring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link RingRoute#SLOTS} route: the slot table gives the answers of the specification
 * ({@code docs/hash-ring.md}, computed here from scratch), a table derived by {@code withNode} or
 * {@code withoutNode} equals one built in full, and the route's balance and minimal disruption at 100 and
 * 1,000 nodes.
 */
class HashRingSlotTableTests {

    private static final int KEYS = 5_000;

    @ParameterizedTest(name = "{0} equal nodes")
    @ValueSource(ints = {5, 31, 32, 257})
    void lookupsAreTheSpecifiedRoutesWithAndWithoutATable(int nodes) {
        HashRing ring = HashRing.of(nodeIds(nodes));
        assertThat(ring.slotTable() != null).as("has a slot table").isEqualTo(nodes >= HashRing.SLOT_TABLE_MIN_NODES);
        assertSpecifiedRoutes(ring);
    }

    @Test
    void weightedRingsScorePerLookupWithTheSpecifiedRoutes() {
        HashRing.Builder builder = HashRing.builder();
        nodeIds(40).forEach(id -> builder.node(id, 1 + id.length() % 3));
        HashRing ring = builder.build();
        assertThat(ring.slotTable()).isNull();
        assertSpecifiedRoutes(ring);
    }

    @Test
    void nodesWhoseFoldedHashesCollideGetTheSpecifiedRoutes() {
        // node-59382 and node-87861 have equal folded hashes: the table is built node by node
        List<String> ids = new ArrayList<>(nodeIds(30));
        ids.add("node-59382");
        ids.add("node-87861");
        HashRing ring = HashRing.of(ids);
        assertThat(ring.slotTable()).isNotNull();
        assertSpecifiedRoutes(ring);
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {40, 256})
    void aTableDerivedOnAJoinEqualsAFullBuild(int nodes) {
        HashRing before = HashRing.of(nodeIds(nodes));
        // first and last of the sorted ids; at 256 nodes the byte table becomes a char table
        for (String joining : List.of("a-first", "z-last")) {
            HashRing derived = before.withNode(joining);
            assertSameTable(derived, rebuilt(derived));
        }
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {40, 257})
    void aTableDerivedOnALeaveEqualsAFullBuild(int nodes) {
        HashRing before = HashRing.of(nodeIds(nodes));
        // at 257 nodes the char table becomes a byte table
        for (String leaving : List.of("instance-0", "instance-17")) {
            HashRing derived = before.withoutNode(leaving);
            assertSameTable(derived, rebuilt(derived));
        }
    }

    @Test
    void aJoinToTheTableThresholdBuildsTheTableAndALeaveBelowDropsIt() {
        HashRing small = HashRing.of(nodeIds(HashRing.SLOT_TABLE_MIN_NODES - 1));
        assertThat(small.slotTable()).isNull();
        HashRing joined = small.withNode("joining");
        assertSameTable(joined, rebuilt(joined));
        assertThat(joined.withoutNode("joining").slotTable()).isNull();
    }

    @Test
    void removingTheOnlyNodeOfAnotherWeightBuildsATable() {
        HashRing.Builder builder = HashRing.builder().node("heavy", 3);
        nodeIds(32).forEach(builder::node);
        HashRing weighted = builder.build();
        assertThat(weighted.slotTable()).isNull();
        HashRing equal = weighted.withoutNode("heavy");
        assertSameTable(equal, rebuilt(equal));
    }

    @Test
    void atOneHundredNodesOneMillionKeysPeakToAverageIsAtMost105() {
        HashRing ring = HashRing.of(nodeIds(100));
        Map<String, Integer> load = new HashMap<>();
        SplittableRandom random = new SplittableRandom(20261202);
        int keys = 1_000_000;
        for (int k = 0; k < keys; k++) {
            load.merge(ring.nodeFor(Long.toHexString(random.nextLong())), 1, Integer::sum);
        }
        assertThat(load).hasSize(100);
        int peak = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(peak / (keys / 100.0)).as("peak-to-average load").isLessThanOrEqualTo(1.05);
    }

    @Test
    void atOneThousandNodesSlotsBalanceAndJoinsAndLeavesMoveOnlyTheirOwnSlots() {
        HashRing ring = HashRing.of(nodeIds(1000));
        // every slot holds the same share of uniformly hashed keys, so slot counts are the expected load
        assertThat(peakToAverage(ring)).as("peak-to-average slots per node").isLessThanOrEqualTo(1.05);

        HashRing joined = ring.withNode("joining-node");
        int joinedIndex = index(joined, "joining-node");
        int moved = 0;
        for (int slot = 0; slot < RingHash.SLOTS; slot++) {
            int before = ring.slotTable().owner(slot);
            int after = joined.slotTable().owner(slot);
            if (after != (before >= joinedIndex ? before + 1 : before)) {
                assertThat(after).as("new owner of a moved slot").isEqualTo(joinedIndex);
                moved++;
            }
        }
        assertThat(moved).as("slots moved").isPositive().isLessThanOrEqualTo((int) (1.1 * RingHash.SLOTS / 1001));

        String leaving = "instance-500";
        int leavingIndex = index(ring, leaving);
        HashRing left = ring.withoutNode(leaving);
        for (int slot = 0; slot < RingHash.SLOTS; slot++) {
            int before = ring.slotTable().owner(slot);
            if (before != leavingIndex) {
                assertThat(left.slotTable().owner(slot)).isEqualTo(before > leavingIndex ? before - 1 : before);
            }
        }
    }

    private static double peakToAverage(HashRing ring) {
        int[] counts = new int[ring.size()];
        for (int slot = 0; slot < RingHash.SLOTS; slot++) {
            counts[ring.slotTable().owner(slot)]++;
        }
        return IntStream.of(counts).max().orElseThrow() / ((double) RingHash.SLOTS / ring.size());
    }

    private static int index(HashRing ring, String id) {
        return new ArrayList<>(ring.nodes()).indexOf(id);
    }

    private static HashRing rebuilt(HashRing ring) {
        return ring.toBuilder().build();
    }

    private static void assertSameTable(HashRing derived, HashRing full) {
        assertThat(derived).isEqualTo(full);
        assertThat(derived.slotTable()).isNotNull();
        for (int slot = 0; slot < RingHash.SLOTS; slot++) {
            if (derived.slotTable().owner(slot) != full.slotTable().owner(slot)) {
                throw new AssertionError("slot " + slot + ": derived owner " + derived.slotTable().owner(slot)
                        + ", full build " + full.slotTable().owner(slot) + " on " + derived.size() + " nodes");
            }
        }
    }

    /** Every lookup of {@link #KEYS} random keys equals the specification's ranking of the key's slot. */
    private static void assertSpecifiedRoutes(HashRing ring) {
        List<String> ids = new ArrayList<>(ring.nodes());
        long[] nodeHashes = ids.stream().mapToLong(RingHash::hash).toArray();
        int[] weights = ids.stream().mapToInt(ring::weight).toArray();
        boolean weighted = IntStream.of(weights).distinct().count() > 1;
        SplittableRandom random = new SplittableRandom(ids.size());
        for (int k = 0; k < KEYS; k++) {
            String key = "key-" + Long.toHexString(random.nextLong());
            List<String> ranking = specifiedRanking(ids, nodeHashes, weighted ? weights : null, key);
            assertThat(ring.nodeFor(key)).as("owner of %s", key).isEqualTo(ranking.get(0));
            if (k % 20 == 0) {
                assertThat(ring.nodesFor(key, 3)).as("replicas of %s", key).isEqualTo(ranking.subList(0, 3));
            }
        }
    }

    /** The SLOTS route of docs/hash-ring.md, written out again as plainly as can be. */
    private static List<String> specifiedRanking(List<String> ids, long[] nodeHashes, int[] weights, String key) {
        long slotHash = RingHash.slotHash((int) (RingHash.hash(key) >>> 41));
        int n = ids.size();
        long[] scores = new long[n];
        double[] costs = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = Integer.toUnsignedLong(RingHash.fmix32(RingHash.fold(slotHash) ^ RingHash.fold(nodeHashes[i])));
            costs[i] = weights == null ? 0 : -StrictMath.log((scores[i] + 1) * 0x1.0p-32) / weights[i];
        }
        Comparator<Integer> order = Comparator.comparingDouble((Integer i) -> costs[i])
                .thenComparing((Integer i) -> scores[i], Comparator.reverseOrder())
                .thenComparing((Integer a, Integer b) -> Long.compareUnsigned(
                        RingHash.fmix64(slotHash ^ nodeHashes[b]), RingHash.fmix64(slotHash ^ nodeHashes[a])));
        return IntStream.range(0, n).boxed().sorted(order).map(ids::get).toList();
    }

    private static List<String> nodeIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> "instance-" + i).toList();
    }
}
