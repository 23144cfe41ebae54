package dev.ringlock.ring;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring's quality bounds at the default settings, over 4,000,000 random keys: balance, weights, and
 * how many keys move when a node joins or leaves. Counts only; nothing here is timed.
 */
class HashRingQualityTests {

    private static final int KEYS = 4_000_000;

    @ParameterizedTest(name = "{0} equal nodes")
    @ValueSource(ints = {3, 10, 50, 100})
    void peakToAverageLoadIsAtMost105(int nodes) {
        HashRing ring = HashRing.of(nodeIds(nodes));
        Map<String, Integer> load = new HashMap<>();
        forEachKey(key -> load.merge(ring.nodeFor(key), 1, Integer::sum));
        assertThat(load).hasSize(nodes);
        double average = (double) KEYS / nodes;
        int peak = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(peak / average).as("peak-to-average load").isLessThanOrEqualTo(1.05);
    }

    @Test
    void eachWeightedNodeGetsItsWeightsShareWithin5Percent() {
        HashRing.Builder builder = HashRing.builder();
        int[] weights = {1, 2, 3, 5, 8, 13};
        for (int i = 0; i < weights.length; i++) {
            builder.node("weighted-" + i, weights[i]);
        }
        HashRing ring = builder.build();
        Map<String, Integer> load = new HashMap<>();
        forEachKey(key -> load.merge(ring.nodeFor(key), 1, Integer::sum));
        for (String node : ring.nodes()) {
            double expected = ring.share(node) * KEYS;
            assertThat(load.get(node) / expected).as("load of %s relative to its weight's share", node)
                    .isBetween(0.95, 1.05);
        }
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 10, 100})
    void addingANodeMovesAtMostItsIdealShareTimes11AllToTheNewNode(int nodes) {
        HashRing before = HashRing.of(nodeIds(nodes));
        HashRing after = before.withNode("joining-node");
        int[] moved = new int[1];
        int[] movedElsewhere = new int[1];
        forEachKey(key -> {
            String owner = after.nodeFor(key);
            if (!owner.equals(before.nodeFor(key))) {
                moved[0]++;
                if (!owner.equals("joining-node")) {
                    movedElsewhere[0]++;
                }
            }
        });
        assertThat(movedElsewhere[0]).as("keys moved to an old node").isZero();
        assertThat(moved[0]).as("keys moved").isPositive()
                .isLessThanOrEqualTo((int) (1.1 * KEYS / (nodes + 1)));
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 10, 100})
    void removingANodeMovesOnlyTheKeysItOwned(int nodes) {
        HashRing before = HashRing.of(nodeIds(nodes));
        String leaving = "instance-" + (nodes / 2);
        HashRing after = before.withoutNode(leaving);
        int[] movedFromOthers = new int[1];
        int[] moved = new int[1];
        forEachKey(key -> {
            String owner = before.nodeFor(key);
            if (!owner.equals(after.nodeFor(key))) {
                moved[0]++;
                if (!owner.equals(leaving)) {
                    movedFromOthers[0]++;
                }
            }
        });
        assertThat(movedFromOthers[0]).as("keys moved that the leaving node did not own").isZero();
        assertThat(moved[0]).as("keys moved").isPositive();
    }

    private static List<String> nodeIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> "instance-" + i).toList();
    }

    /** The same 4,000,000 random 16-character keys on every call. */
    private static void forEachKey(Consumer<String> action) {
        SplittableRandom random = new SplittableRandom(20261126);
        char[] key = new char[16];
        for (int k = 0; k < KEYS; k++) {
            long bits = random.nextLong();
            for (int i = 0; i < key.length; i++) {
                key[i] = Character.forDigit((int) (bits >>> (4 * i)) & 0xF, 16);
            }
            action.accept(new String(key));
        }
    }
}
