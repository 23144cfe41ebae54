package dev.ringlock.ring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@link HashRing} promises besides balance: determinism, replica lists, and clear errors.
 */
class HashRingTests {

    private static final List<String> NODES = IntStream.range(0, 20).mapToObj(i -> "node-" + i).toList();

    @Test
    void routesDependOnlyOnTheSetOfNodesNotOnInsertionOrder() {
        HashRing reference = HashRing.of(NODES);
        Random random = new Random(42);
        for (int shuffle = 0; shuffle < 20; shuffle++) {
            List<String> shuffled = new ArrayList<>(NODES);
            Collections.shuffle(shuffled, random);
            HashRing.Builder builder = HashRing.builder();
            shuffled.forEach(id -> builder.node(id, 1 + id.length() % 3));
            HashRing weighted = builder.build();
            HashRing.Builder referenceWeighted = HashRing.builder();
            NODES.forEach(id -> referenceWeighted.node(id, 1 + id.length() % 3));
            HashRing ordered = referenceWeighted.build();
            HashRing plain = HashRing.of(shuffled);
            for (int k = 0; k < 2_000; k++) {
                String key = "key-" + k;
                assertThat(plain.nodeFor(key)).isEqualTo(reference.nodeFor(key));
                assertThat(weighted.nodeFor(key)).isEqualTo(ordered.nodeFor(key));
                assertThat(plain.nodesFor(key, 5)).isEqualTo(reference.nodesFor(key, 5));
            }
        }
    }

    @Test
    void nodesForGivesDistinctNodesInPreferenceOrderStartingWithTheOwner() {
        HashRing ring = HashRing.of(NODES);
        for (int k = 0; k < 5_000; k++) {
            String key = "tenant-" + k;
            List<String> replicas = ring.nodesFor(key, 3);
            assertThat(replicas).hasSize(3).doesNotHaveDuplicates();
            assertThat(replicas.get(0)).isEqualTo(ring.nodeFor(key));
            // the preference order is the order of ownership as nodes leave
            assertThat(ring.withoutNode(replicas.get(0)).nodeFor(key)).isEqualTo(replicas.get(1));
        }
    }

    @Test
    void weightedNodesForStartsWithTheWeightedOwner() {
        HashRing ring = HashRing.builder().node("a", 1).node("b", 2).node("c", 5).build();
        for (int k = 0; k < 5_000; k++) {
            String key = "k" + k;
            List<String> all = ring.nodesFor(key, 3);
            assertThat(all).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(all.get(0)).isEqualTo(ring.nodeFor(key));
            assertThat(ring.withoutNode(all.get(0)).nodeFor(key)).isEqualTo(all.get(1));
        }
    }

    @Test
    void twoNodesWhoseFoldedHashesCollideShareTheKeysTheyTieOn() {
        // found by search: equal 32-bit folded hashes, different 64-bit hashes
        assertThat(RingHash.fold(RingHash.hash("node-59382"))).isEqualTo(RingHash.fold(RingHash.hash("node-87861")));
        HashRing pair = HashRing.of(List.of("node-59382", "node-87861"));
        HashRing withOthers = HashRing.of(List.of("node-59382", "node-87861", "x", "y"));
        int first = 0;
        for (int k = 0; k < 20_000; k++) {
            String key = "k" + k;
            String owner = pair.nodeFor(key);
            first += owner.equals("node-59382") ? 1 : 0;
            assertThat(pair.nodesFor(key, 2).get(0)).isEqualTo(owner);
            String big = withOthers.nodeFor(key);
            if (big.startsWith("node-")) {
                assertThat(big).as("the tie is broken the same way in a larger ring").isEqualTo(owner);
            }
        }
        assertThat(first).as("keys of the first of the pair").isBetween(9_500, 10_500);
    }

    @Test
    void askingForMoreReplicasThanNodesGivesEveryNode() {
        HashRing ring = HashRing.of(List.of("a", "b"));
        assertThat(ring.nodesFor("x", 5)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void withNodeAndWithoutNodeAreTheRingsOfTheNewSets() {
        HashRing ring = HashRing.of(List.of("a", "b", "c"));
        assertThat(ring.withNode("d")).isEqualTo(HashRing.of(List.of("d", "c", "b", "a")));
        assertThat(ring.withoutNode("b")).isEqualTo(HashRing.of(List.of("a", "c")));
        assertThat(ring.withNode("d", 3).weight("d")).isEqualTo(3);
        assertThat(ring.nodes()).containsExactly("a", "b", "c");
        assertThat(ring.share("a")).isEqualTo(1.0 / 3);
        assertThat(ring.share("z")).isZero();
    }

    @Test
    void anEmptyRingNamesTheKeyItCannotRoute() {
        assertThatThrownBy(() -> HashRing.empty().nodeFor("order-17")).isInstanceOf(NoRouteException.class)
                .hasMessageContaining("'order-17'").extracting("key").isEqualTo("order-17");
        assertThatThrownBy(() -> HashRing.builder().build().nodesFor("order-17", 2))
                .isInstanceOf(NoRouteException.class);
    }

    @Test
    void badNodesAreRejectedNamingTheNode() {
        assertThatIllegalArgumentException().isThrownBy(() -> HashRing.builder().node(" "))
                .withMessageContaining("node id must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> HashRing.builder().node(null))
                .withMessageContaining("node id must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> HashRing.builder().node("a").node("a", 2))
                .withMessage("duplicate node id 'a'");
        assertThatIllegalArgumentException().isThrownBy(() -> HashRing.builder().node("a", 0))
                .withMessage("weight of node 'a' must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> HashRing.of(List.of("a")).withNode("a"))
                .withMessage("duplicate node id 'a'");
        assertThatIllegalArgumentException().isThrownBy(() -> HashRing.of(List.of("a")).withoutNode("b"))
                .withMessageContaining("no node 'b'");
        assertThatIllegalArgumentException().isThrownBy(() -> HashRing.of(List.of("a")).nodesFor("k", 0))
                .withMessage("count must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> HashRing.of(List.of("a")).nodeFor(null))
                .withMessage("key must not be null");
    }
}
